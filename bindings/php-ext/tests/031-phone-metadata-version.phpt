--TEST--
Engine::phoneMetadataVersion(): the libphonenumber metadata release the engine validates phones with, the same for a new and a shared engine
--EXTENSIONS--
contact_batch
--FILE--
<?php
use ContactBatch\Engine;
$v = (new Engine(['profile' => 'rasl-create']))->phoneMetadataVersion();
var_dump(preg_match('/^\d+\.\d+\.\d+$/', $v) === 1);
var_dump(Engine::shared(['profile' => 'record-list'])->phoneMetadataVersion() === $v);
$cli = getenv('CONTACT_BATCH_BIN');
if ($cli !== false && $cli !== '') {
    var_dump(str_contains(shell_exec(escapeshellarg($cli) . ' --version'), "libphonenumber metadata $v"));
} else {
    var_dump(true);
}
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
