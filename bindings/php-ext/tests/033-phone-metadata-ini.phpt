--TEST--
contact_batch.phone_metadata: the phone metadata file of every engine whose config names none; a config's own phone_metadata wins
--EXTENSIONS--
contact_batch
--SKIPIF--
<?php if (!is_file(__DIR__ . '/../../../crates/contact-batch/tests/data/phone-9.0.42.cbpm')) die('skip needs the repository (crates/contact-batch/tests/data)'); ?>
--INI--
contact_batch.phone_metadata={PWD}/../../../crates/contact-batch/tests/data/phone-9.0.42.cbpm
--FILE--
<?php
use ContactBatch\Engine;
var_dump((new Engine(['profile' => 'rasl-create']))->phoneMetadataVersion());
var_dump(Engine::shared(['profile' => 'record-list'])->phoneMetadataVersion());
// Georgia's mobile range 508 opened in 9.0.43: invalid with the ini's file.
var_dump((new Engine(['profile' => 'rasl-create']))->normalizePhone('+995508887752'));
// null in the config: the built-in release, whatever the ini says.
$built_in = new Engine(['profile' => 'rasl-create', 'phone_metadata' => null]);
var_dump($built_in->phoneMetadataVersion() === ContactBatch\Engine::shared(['profile' => 'rasl-update', 'phone_metadata' => null])->phoneMetadataVersion());
var_dump($built_in->phoneMetadataVersion() !== '9.0.42');
ini_set('contact_batch.phone_metadata', '/nonexistent.cbpm');
try {
    new Engine(['profile' => 'rasl-create']);
    echo "no exception\n";
} catch (ContactBatch\ConfigException $e) {
    echo preg_replace('/: .*/', '', $e->getMessage()), "\n";
}
?>
--EXPECT--
string(6) "9.0.42"
string(6) "9.0.42"
NULL
bool(true)
bool(true)
phone_metadata `/nonexistent.cbpm`
