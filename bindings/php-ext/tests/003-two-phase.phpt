--TEST--
prepare -> keys -> resolve, and a Prepared outliving its Engine variable
--EXTENSIONS--
contact_batch
--FILE--
<?php
$engine = new ContactBatch\Engine(['profile' => 'rasl-create', 'default_region' => 'GB']);
$prepared = $engine->prepare(json_encode(['contacts' => [
    ['firstname' => 'A', 'phone' => '020 7183 8750'],
    ['firstname' => 'B', 'phone' => '+44 20 7183 8750'],
    ['firstname' => 'C', 'phone' => '+1 415 555 2671'],
]]));
$keys = $prepared->keys();
echo implode(' ', $keys['phones']), ' ', var_export($keys['rejected'], true), "\n";
unset($engine); // the Prepared keeps its engine alive
$none = $prepared->resolve();
$some = $prepared->resolve(['phones' => ['+14155552671' => 3]]);
echo json_encode($none['body']['summary']), "\n";
echo json_encode($some['body']['summary']), "\n";
$bad = (new ContactBatch\Engine(['profile' => 'rasl-create']))->prepare('{"contacts":');
echo var_export($bad->keys()['rejected'], true), ' ', $bad->resolve()['status'], "\n";
?>
--EXPECT--
+442071838750 +14155552671 false
{"total":3,"created":2,"skipped":0,"failed":1}
{"total":3,"created":1,"skipped":0,"failed":2}
true 422
