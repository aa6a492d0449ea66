--TEST--
Warm-up: Engine::warm() and contact_batch.warm_regions change no answer; unknown regions are a ConfigException
--EXTENSIONS--
contact_batch
--INI--
contact_batch.warm_regions=US,GB
--FILE--
<?php
use ContactBatch\Engine;
$cold = new Engine(['profile' => 'rasl-create']);
$warm = Engine::shared(['profile' => 'rasl-create']);
$warm->warm(['DE', 'FR']);
$warm->warm('JP, BR');
$warm->warm([]);
$body = json_encode(['contacts' => [
    ['firstname' => 'A', 'phone' => '+44 20 7183 8750'],
    ['firstname' => 'B', 'phone' => '+1 415 555 2671'],
    ['firstname' => 'C', 'phone' => '+49 30 123456'],
    ['firstname' => 'D', 'phone' => '+33 1 23'],
]]);
var_dump($cold->respondJson($body) === $warm->respondJson($body));
foreach ([['XX'], 'US,ZZ', ['US', 42]] as $bad) {
    try { $warm->warm($bad); echo "no error\n"; }
    catch (ContactBatch\ConfigException $e) { echo 'ConfigException ', $e->getCode(), ' ', str_contains($e->getMessage(), 'Z') || str_contains($e->getMessage(), 'X') ? 'names it' : $e->getMessage(), "\n"; }
    catch (TypeError $e) { echo "TypeError\n"; }
}
ini_set('contact_batch.warm_regions', 'QQ');
try { Engine::shared(['profile' => 'record-list']); echo "no error\n"; }
catch (ContactBatch\ConfigException $e) { echo "ConfigException at build\n"; }
echo json_encode(Engine::sharedStats()), "\n";
?>
--EXPECT--
bool(true)
ConfigException 3 names it
ConfigException 3 names it
TypeError
ConfigException at build
{"builds":1,"reuses":0,"evictions":0,"cached":1,"capacity":8}
