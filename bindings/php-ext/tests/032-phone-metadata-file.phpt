--TEST--
The config's phone_metadata: a phone metadata file made by the project's generator gives its libphonenumber release and verdicts; a bad file throws ConfigException
--EXTENSIONS--
contact_batch
--SKIPIF--
<?php if (!is_file(__DIR__ . '/../../../crates/contact-batch/tests/data/phone-9.0.42.cbpm')) die('skip needs the repository (crates/contact-batch/tests/data)'); ?>
--FILE--
<?php
use ContactBatch\Engine;
$file = __DIR__ . '/../../../crates/contact-batch/tests/data/phone-9.0.42.cbpm';
$old = new Engine(['profile' => 'rasl-create', 'phone_metadata' => $file]);
$new = new Engine(['profile' => 'rasl-create']);
var_dump($old->phoneMetadataVersion());
// Georgia's mobile range 508 opened in 9.0.43.
var_dump($old->normalizePhone('+995508887752'));
var_dump($new->normalizePhone('+995508887752')['e164']);
var_dump(Engine::shared(['profile' => 'rasl-create', 'phone_metadata' => $file])->phoneMetadataVersion());
foreach ([__FILE__, '/nonexistent.cbpm', 42] as $bad) {
    try {
        new Engine(['profile' => 'rasl-create', 'phone_metadata' => $bad]);
        echo "no exception\n";
    } catch (ContactBatch\ConfigException $e) {
        echo preg_replace('/: .*/', '', $e->getMessage()), "\n";
    }
}
?>
--EXPECT--
string(6) "9.0.42"
NULL
string(13) "+995508887752"
string(6) "9.0.42"
the phone metadata file is refused
phone_metadata `/nonexistent.cbpm`
invalid config
