--TEST--
respond(), respondJson(), resolve() and outcome() take the existing store as an array or as its JSON text
--EXTENSIONS--
contact_batch
--FILE--
<?php
declare(strict_types=1);
$engine = new ContactBatch\Engine(['profile' => 'rasl-create', 'default_region' => 'US']);
$body = '{"contacts": [{"firstname": "Ann", "phone": "(415) 555-2671"}, {"firstname": "Bo", "phone": "(415) 555-2672"}]}';
$arr = ['phones' => ['+14155552672' => 'ct_1']];
$json = '{"phones": {"+14155552672": "ct_1"}}';
$want = $engine->respond($body, $arr);
var_dump($engine->respond($body, $json) === $want);
var_dump(json_decode($engine->respondJson($body, $json), true) === $want);
var_dump(json_decode($engine->respondJson($body, $arr), true) === $want);
var_dump($engine->prepare($body)->resolve($json) === $want);
var_dump($engine->prepare($body)->outcome($json) === $engine->prepare($body)->outcome($arr));
// '' and null are "nothing exists", like [] and no argument.
var_dump($engine->respond($body, '') === $engine->respond($body));
var_dump($engine->respond($body, null) === $engine->respond($body));
echo json_encode($want['body']['summary']), "\n";
try {
    $engine->respond($body, '{"phones": {"0123": "x"}}');
} catch (ContactBatch\ExistingException $e) {
    echo get_class($e), ' ', $e->getCode(), ' ', str_contains($e->getMessage(), 'E.164') ? 'says E.164' : $e->getMessage(), "\n";
}
try {
    $engine->prepare($body)->resolve('[1, 2]');
} catch (ContactBatch\ExistingException $e) {
    echo get_class($e), "\n";
}
try {
    $engine->respond($body, 42);
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
{"total":2,"created":1,"skipped":0,"failed":1}
ContactBatch\ExistingException 4 says E.164
ContactBatch\ExistingException
ContactBatch\Engine::respond(): Argument #2 ($existing) must be of type array|string|null, int given
