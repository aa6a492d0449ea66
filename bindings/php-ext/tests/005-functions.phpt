--TEST--
normalize_phone and validate_email
--EXTENSIONS--
contact_batch
--FILE--
<?php
var_dump(ContactBatch\normalize_phone('(415) 555-2671', 'US'));
var_dump(ContactBatch\normalize_phone('+44 20 7183 8750 ext. 12')['extension']);
var_dump(ContactBatch\normalize_phone('4155552671'));
var_dump(ContactBatch\normalize_phone('12', 'US'));
var_dump(ContactBatch\normalize_phone('415', 'ZZ'));
var_dump(ContactBatch\normalize_phone("\xff"));
var_dump(ContactBatch\validate_email('Ann@Example.com'));
var_dump(ContactBatch\validate_email('Ann <a@b.com>'));
var_dump(ContactBatch\validate_email('a@localhost'));
var_dump(ContactBatch\validate_email("\xff@b.com"));
?>
--EXPECT--
array(5) {
  ["e164"]=>
  string(12) "+14155552671"
  ["country_code"]=>
  int(1)
  ["region"]=>
  string(2) "US"
  ["number_type"]=>
  string(20) "fixed_line_or_mobile"
  ["extension"]=>
  NULL
}
string(2) "12"
NULL
NULL
NULL
NULL
bool(true)
bool(false)
bool(false)
bool(false)
