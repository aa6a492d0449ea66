--TEST--
Bad input: invalid UTF-8, truncated JSON, wrong argument types, bad config and existing data
--EXTENSIONS--
contact_batch
--FILE--
<?php
$engine = new ContactBatch\Engine(['profile' => 'rasl-create']);
$r = $engine->respond("{\"contacts\":[{\"firstname\":\"\xff\"}]}");
echo $r['status'], ' ', $r['body']['error']['code'], "\n";
$r = $engine->respond('{"contacts":[{"firstname":"A"');
echo $r['status'], ' ', $r['body']['error']['code'], "\n";
$r = $engine->respond('');
echo $r['status'], "\n";
$r = $engine->respond(str_repeat('[', 100000));
echo $r['status'], ' ', (str_contains($r['body']['error']['message'], 'nested') ? 'nesting' : 'other'), "\n";
foreach ([
    fn() => $engine->respond(new stdClass()),
    fn() => $engine->respond('{}', new stdClass()),   // a string is the store's JSON text (030-existing-json.phpt)
    fn() => new ContactBatch\Engine('rasl-create'),
    fn() => ContactBatch\normalize_phone([]),
] as $call) {
    try { $call(); echo "no error\n"; } catch (TypeError $e) { echo "TypeError\n"; }
}
foreach ([
    ['profile' => 'nope'],
    ['default_region' => 'US'],
    ['profile' => 'rasl-create', 'default_region' => 'XX'],
    ['profile' => 'rasl-create', 'threads' => 0],
    ['profile' => "\xff"],
] as $config) {
    try { new ContactBatch\Engine($config); echo "no error\n"; }
    catch (ContactBatch\Exception $e) { echo substr(get_class($e), 13), ' ', $e->getCode(), ': ', strlen($e->getMessage()) > 10 ? 'message' : 'short', "\n"; }
}
try { $engine->respond('{"contacts":[]}', ['phones' => ['4155552671' => 1]]); echo "no error\n"; }
catch (ContactBatch\ExistingException $e) { echo $e->getCode(), ' ', str_contains($e->getMessage(), 'E.164') ? "E.164 message\n" : $e->getMessage() . "\n"; }
// An array body that is not a request is the API's 4xx, like its JSON text.
$r = $engine->respond(['not a request']);
echo $r['status'], ' ', $r['body']['error']['code'], "\n";
try { $engine->respond(['contacts' => [['firstname' => "\xff"]]]); echo "no error\n"; }
catch (ContactBatch\InputException $e) { echo 'InputException ', $e->getCode(), "\n"; }
try { $engine->respond('{}', ['phones' => ["\xff" => 1]]); echo "no error\n"; }
catch (ContactBatch\InputException $e) { echo 'InputException ', $e->getCode(), "\n"; }
try { new ContactBatch\Prepared(); echo "no error\n"; }
catch (Error $e) { echo str_contains($e->getMessage(), 'private') ? "private constructor\n" : $e->getMessage() . "\n"; }
try { clone $engine; } catch (Error $e) { echo get_class($e), "\n"; }
?>
--EXPECT--
422 VALIDATION_ERROR
422 VALIDATION_ERROR
422
422 nesting
TypeError
TypeError
TypeError
TypeError
ConfigException 3: message
ConfigException 3: message
ConfigException 3: message
ConfigException 3: message
InputException 2: message
4 E.164 message
422 VALIDATION_ERROR
InputException 2
InputException 2
private constructor
Error
