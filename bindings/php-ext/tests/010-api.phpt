--TEST--
The complete API: engine-configured single values with reasons, array bodies, per-row outcomes, ['phones' => []] (regression), the exception hierarchy
--EXTENSIONS--
contact_batch
--FILE--
<?php
use ContactBatch\Engine;
$gb = new Engine(['profile' => 'rasl-create', 'default_region' => 'GB']);
// The engine's default region applies (the free function has none).
echo $gb->normalizePhone('020 7183 8750')['e164'], "\n";
var_dump(ContactBatch\normalize_phone('020 7183 8750'));
echo $gb->normalizePhone('(415) 555-2671', 'US')['e164'], "\n";
var_dump($gb->normalizePhone('12'));
$r = $gb->normalizePhoneResult('12');
echo $r['valid'] ? 'valid' : 'invalid', ' ', $r['error'], "\n";
echo $gb->validateEmail('not-an-email') ? "truthy\n" : "falsy\n";
echo $gb->validateEmailResult('not-an-email')['error'] !== '' ? "reason given\n" : "no reason\n";
echo $gb->validateEmail('Ann@Example.COM')['normalized'], "\n";

// An array body answers as its JSON text does.
$create = new Engine(['profile' => 'rasl-create', 'default_region' => 'US']);
$body = ['contacts' => [
    ['firstname' => 'Ann', 'phone' => '(415) 555-2671'],
    ['firstname' => 'Bob', 'phone' => '+1 415 555 2672'],
    ['firstname' => '', 'phone' => '12'],
]];
$json = json_encode($body);
var_dump($create->respond($body) === $create->respond($json));
var_dump($create->respondJson($body) === $create->respondJson($json));
// Regression: ['phones' => []] is "no phone exists" (it threw "expected a map").
var_dump($create->respond($json, ['phones' => []]) === $create->respond($json));
$p = $create->prepare($body);
var_dump($p->resolve(['phones' => []]) === $p->resolve());
$o = $p->outcome(['phones' => ['+14155552672' => 'ct_9']]);
echo $o['status'], ' ', json_encode($o['summary']), "\n";
foreach ($o['rows'] as $row) {
    echo $row['index'], ' ', $row['status'], ' ', $row['action'], ' ', $row['contact']['phone'] ?? '-', "\n";
}
// One hierarchy: every class is a ContactBatch\Exception, itself a RuntimeException.
foreach (['ConfigException', 'ExistingException', 'InputException', 'InternalException'] as $c) {
    echo $c, ' ', is_subclass_of("ContactBatch\\$c", ContactBatch\Exception::class) ? 'ok' : 'no', "\n";
}
var_dump(is_subclass_of(ContactBatch\Exception::class, RuntimeException::class));
?>
--EXPECTF--
+442071838750
NULL
+14155552671
NULL
invalid too_short
falsy
reason given
Ann@example.com
bool(true)
bool(true)
bool(true)
bool(true)
200 %s
0 %s
1 %s
2 %s
ConfigException ok
ExistingException ok
InputException ok
InternalException ok
bool(true)
