--TEST--
normalize_phone and validate_email: null or the value, and the *_result() forms with the reason
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
var_dump(ContactBatch\normalize_phone_result('12', 'US'));
echo json_encode(ContactBatch\normalize_phone_result('+14155552671')), "\n";
echo json_encode(ContactBatch\normalize_phone_result("\xff")), "\n";
echo json_encode(ContactBatch\validate_email_result('Ann@Example.com')), "\n";
echo json_encode(ContactBatch\validate_email_result('a@localhost')), "\n";
echo ContactBatch\validate_email('not-an-email') ? "truthy\n" : "falsy\n";
?>
--EXPECTF--
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
array(2) {
  ["normalized"]=>
  string(15) "Ann@example.com"
  ["key"]=>
  string(15) "ann@example.com"
}
NULL
NULL
NULL
array(3) {
  ["valid"]=>
  bool(false)
  ["error"]=>
  string(9) "too_short"
  ["message"]=>
  string(%d) "%s"
}
{"valid":true,"e164":"+14155552671","country_code":1,"region":"US","number_type":"fixed_line_or_mobile","extension":null}
{"valid":false,"error":"invalid_utf8","message":"the phone or region is not valid UTF-8"}
{"valid":true,"normalized":"Ann@example.com","key":"ann@example.com"}
{"valid":false,"error":"%s","message":"%s"}
falsy
