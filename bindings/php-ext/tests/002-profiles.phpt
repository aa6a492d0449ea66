--TEST--
Every profile answers through the extension
--EXTENSIONS--
contact_batch
--FILE--
<?php
$delete = new ContactBatch\Engine(['profile' => 'rasl-delete']);
$r = $delete->respond('{"ids":[1,2,2,3]}', ['ids' => [1, 2]]);
echo $r['status'], ' ', json_encode($r['body']), "\n";

$update = new ContactBatch\Engine(['profile' => 'rasl-update', 'default_region' => 'US']);
$stored = ['contact' => ['id' => 7, 'firstname' => 'Old', 'phone' => '+14155552671'],
           'phones' => ['+14155552671' => 7, '+14155552672' => 8]];
$r = $update->respond('{"firstname":"New","lastname":null}', $stored);
echo $r['status'], ' ', $r['body']['message'], ' ', $r['body']['data']['firstname'], "\n";
$r = $update->respond('{"phone":"415-555-2672"}', $stored);
echo $r['status'], ' ', $r['body']['error']['details']['phone'][0], "\n";

$records = new ContactBatch\Engine(['profile' => 'record-list']);
$seed = '{"records":[{"phone_numbers":[{"phone_number":"+351929312319","phone_type":"MOBILE"}],
  "first_name":"Joey","last_name":"Tribbiani","timezone":"Europe/Lisbon","priority":7},
  {"phone_numbers":[{"phone_number":"+351929312318","phone_type":"MOBILE"}],
  "first_name":"Jane","last_name":"Doe","timezone":"GMT","priority":5}]}';
$r = $records->respond($seed, ['record_list_id' => 'rl_1']);
echo $r['status'], ' ', var_export($r['body']['has_error'], true), ' ', $r['body']['total_created'], "\n";
$r = $records->respond('{"records":[{"first_name":"A","last_name":"B"}]}');
echo $r['status'], ' ', implode(',', $r['body']['_embedded']['records'][0]['errors']), "\n";
$r = $records->respond('{"records":[]}');
echo $r['status'], ' ', $r['body']['code'], "\n";

$book = new ContactBatch\Engine(['profile' => 'contact-book']);
$r = $book->respond('{"defaultCountryCode":"91","contacts":[{"phone":"7000782082"},{"phone":"7999999999"},{"phone":"+91 79999 99999"}]}',
    ['phones' => ['+917000782082' => 'ct_existing'], 'contact_book' => ['contactBookUid' => 'grp_abc', 'name' => 'Retail Leads']]);
echo $r['status'], ' ', json_encode($r['body']['data']['summary']), "\n";
foreach ($r['body']['data']['results'] as $row) {
    echo $row['row'], ' ', $row['status'], "\n";
}
$r = $book->respond('{"contacts":"x"}');
echo $r['status'], ' ', $r['body']['error']['code'], "\n";
?>
--EXPECT--
200 {"success":true,"summary":{"total":4,"deleted":2,"failed":2}}
200 Contact updated successfully New
422 The phone has already been taken.
201 false 2
201 PHONE_NUMBER_MISSING
400 INVALID_REQUEST
200 {"total":3,"created":1,"updated":1,"skipped":1,"invalid":0}
1 UPDATED
2 CREATED
3 SKIPPED
400 VALIDATION_FAILED
