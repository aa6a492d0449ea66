--TEST--
Engine::shared(): one engine per normalized config, reused, bounded (LRU), counted by sharedStats()
--EXTENSIONS--
contact_batch
--INI--
contact_batch.cache_size=2
--FILE--
<?php
use ContactBatch\Engine;
$s = fn() => Engine::sharedStats();
echo json_encode($s()), "\n";
$a = Engine::shared(['profile' => 'rasl-create', 'default_region' => 'US']);
$b = Engine::shared(['default_region' => 'US', 'profile' => 'rasl-create']);   // same config, keys in another order
$c = Engine::shared(['profile' => 'rasl-create', 'default_region' => 'US', 'threads' => 1]); // the ini default made explicit
echo json_encode($s()), "\n";
echo $a->normalizePhone('(415) 555-2671')['e164'], "\n";
$d = Engine::shared(['profile' => 'rasl-create', 'default_region' => 'GB']);
echo json_encode($s()), "\n";
$e = Engine::shared(['profile' => 'record-list']);      // evicts the least recently used (US)
echo json_encode($s()), "\n";
// An evicted engine stays usable by the objects that hold it.
echo $a->normalizePhone('(415) 555-2671')['e164'], "\n";
unset($a, $b, $c);
$f = Engine::shared(['profile' => 'rasl-create', 'default_region' => 'US']); // built again
echo json_encode($s()), "\n";
try { Engine::shared(['profile' => 'nope']); } catch (ContactBatch\ConfigException $ex) { echo "ConfigException\n"; }
echo json_encode($s()), "\n";
ini_set('contact_batch.cache_size', '0');
Engine::shared(['profile' => 'rasl-create', 'default_region' => 'US']);
Engine::shared(['profile' => 'rasl-create', 'default_region' => 'US']);
echo json_encode($s()), "\n";
?>
--EXPECT--
{"builds":0,"reuses":0,"evictions":0,"cached":0,"capacity":2}
{"builds":1,"reuses":2,"evictions":0,"cached":1,"capacity":2}
+14155552671
{"builds":2,"reuses":2,"evictions":0,"cached":2,"capacity":2}
{"builds":3,"reuses":2,"evictions":1,"cached":2,"capacity":2}
+14155552671
{"builds":4,"reuses":2,"evictions":2,"cached":2,"capacity":2}
ConfigException
{"builds":4,"reuses":2,"evictions":2,"cached":2,"capacity":2}
{"builds":6,"reuses":2,"evictions":4,"cached":0,"capacity":0}
