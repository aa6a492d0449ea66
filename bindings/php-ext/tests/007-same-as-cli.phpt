--TEST--
A request answered through the extension is byte-identical to the command line's respond
--EXTENSIONS--
contact_batch
--SKIPIF--
<?php if (!getenv('CONTACT_BATCH_ROOT') || !is_executable(getenv('CONTACT_BATCH_ROOT') . '/target/release/contact-batch')) die('skip set CONTACT_BATCH_ROOT to a repository with a release build of contact-batch'); ?>
--FILE--
<?php
$root = getenv('CONTACT_BATCH_ROOT');
$cli = $root . '/target/release/contact-batch';
$existing = "$root/examples/existing.json";
$same = 0;
foreach (['rasl-create', 'rasl-delete', 'rasl-update', 'record-list', 'contact-book'] as $profile) {
    $request = "$root/examples/requests/$profile.json";
    $config = ['profile' => $profile];
    $args = '';
    if ($profile !== 'contact-book' && $profile !== 'record-list') {
        $config['default_region'] = 'US';
        $args = '--default-region US';
    }
    $engine = new ContactBatch\Engine($config);
    $ours = $engine->respondJson(file_get_contents($request), file_get_contents($existing)) . "\n";
    $theirs = shell_exec(sprintf('%s respond --profile %s %s --existing %s %s', escapeshellarg($cli), $profile, $args,
        escapeshellarg($existing), escapeshellarg($request)));
    if ($ours === $theirs) { $same++; } else { echo "$profile differs:\n$ours\n$theirs\n"; }
}
echo "$same of 5 identical\n";
?>
--EXPECT--
5 of 5 identical
