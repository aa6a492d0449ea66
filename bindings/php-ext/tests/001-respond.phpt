--TEST--
Engine::respond answers rasl-create with the API's status and body
--EXTENSIONS--
contact_batch
--FILE--
<?php
$engine = new ContactBatch\Engine(['profile' => 'rasl-create', 'default_region' => 'US']);
$body = json_encode(['contacts' => [
    ['firstname' => 'Ann', 'phone' => '(415) 555-2671', 'email' => 'Ann@EXAMPLE.com'],
    ['firstname' => 'Bob', 'phone' => '+1 415 555 2671'],
    ['firstname' => 'Cy', 'phone' => '+44 20 7183 8750'],
    ['firstname' => '', 'phone' => '12'],
], 'options' => ['skip_duplicates' => true]]);
$r = $engine->respond($body, ['phones' => ['+442071838750' => 'ct_9']]);
var_dump($r['status']);
echo json_encode($r['body']['summary']), "\n";
echo $r['body']['created'][0]['phone'], ' ', $r['body']['created'][0]['email'], "\n";
foreach ($r['body']['skipped'] as $s) {
    echo $s['index'], ' ', $s['reason'], "\n";
}
echo implode(',', array_keys($r['body']['errors'][0]['errors'])), "\n";
?>
--EXPECT--
int(200)
{"total":4,"created":1,"skipped":2,"failed":1}
+14155552671 Ann@example.com
1 duplicate_in_request
2 duplicate_phone
firstname,phone
