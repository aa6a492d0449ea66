--TEST--
Self-referencing and over-deep arrays: an exception at every entry point (existing, config, body, shared()), never a crash
--EXTENSIONS--
contact_batch
--FILE--
<?php
use ContactBatch\Engine;
// Issue 33.1: `$x["phones"] = &$x` as the existing keys or inside the config
// recursed in the extension until the worker died (exit 139).
$engine = new Engine(['profile' => 'rasl-create']);
$selfRef = function () { $x = []; $x['phones'] = &$x; return $x; };
$deep = function () { $d = 'leaf'; for ($i = 0; $i < 600; $i++) { $d = ['a' => $d]; } return $d; };
$try = function (string $what, callable $call) {
    try {
        $call();
        echo "$what: no error\n";
    } catch (ContactBatch\Exception $e) {
        $why = str_contains($e->getMessage(), 'refers to itself') ? 'recursive'
            : (str_contains($e->getMessage(), 'nested more than 512') ? 'too deep' : $e->getMessage());
        echo "$what: ", substr(get_class($e), 13), ' ', $e->getCode(), " $why\n";
    }
};
$x = []; $x['phones'] = &$x;
$try('existing', fn() => $engine->respond('{"contacts":[]}', $x));
$try('existing, one level down', fn() => $engine->respond('{"contacts":[]}', ['contact' => ['a' => $selfRef()]]));
$try('existing, deep', fn() => $engine->respond('{"contacts":[]}', ['contact' => $deep()]));
$c = ['profile' => 'rasl-create']; $c['limits'] = &$c;
$try('config', fn() => new Engine($c));
$try('config, deep', fn() => new Engine(['profile' => 'rasl-create', 'limits' => $deep()]));
$try('shared', fn() => Engine::shared($c));
$try('shared, deep', fn() => Engine::shared(['profile' => 'rasl-create', 'limits' => $deep()]));
$b = ['contacts' => []]; $b['contacts'][] = &$b;
$try('body', fn() => $engine->respond($b));
$try('body, deep', fn() => $engine->respond(['contacts' => [$deep()]]));
$try('prepare', fn() => $engine->prepare($b));
// The guard is taken off again: the same arrays encode as before, and an
// array that appears twice (no cycle) is fine.
echo json_encode(['a' => [1], 'b' => [1]]), "\n";
$shared = ['firstname' => 'Ada', 'phone' => '+14155552671'];
$r = $engine->respond(['contacts' => [$shared, $shared]]);
echo $r['status'], "\n";
$phones = ['+14155552671' => 'ct_1'];
$r = $engine->respond(['contacts' => [$shared]], ['phones' => $phones, 'contact' => ['p' => $phones]]);
echo $r['status'], "\n";
echo json_encode($phones), "\n";
echo Engine::shared(['profile' => 'rasl-create', 'limits' => []])->normalizePhone('+1 415 555 2671')['e164'], "\n";
echo "alive\n";
?>
--EXPECT--
existing: ExistingException 4 recursive
existing, one level down: ExistingException 4 recursive
existing, deep: ExistingException 4 too deep
config: ConfigException 3 recursive
config, deep: ConfigException 3 too deep
shared: ConfigException 3 recursive
shared, deep: ConfigException 3 too deep
body: InputException 7 recursive
body, deep: InputException 7 too deep
prepare: InputException 7 recursive
{"a":[1],"b":[1]}
200
200
{"+14155552671":"ct_1"}
+14155552671
alive
