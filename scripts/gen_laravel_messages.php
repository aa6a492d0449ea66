<?php
/**
 * Generates the Laravel message vectors of the rasl profiles:
 * crates/contact-batch/tests/data/laravel_messages.json (committed; do not
 * edit by hand), checked by crates/contact-batch/tests/it/laravel_messages.rs.
 *
 * The messages come from Laravel's own English templates, read from the
 * framework's `src/Illuminate/Translation/lang/en/validation.php` (or an
 * application's `lang/en/validation.php` published from it), with the
 * attribute naming of Laravel's validator
 * (Illuminate\Validation\Concerns\FormatsMessages::getDisplayableAttribute):
 * an attribute of a wildcard rule (`contacts.*.phone`, `groups.*`) is shown
 * as its full path, as is; any other attribute as
 * `str_replace('_', ' ', Str::snake($attribute))`. The summary suffix is
 * ValidationException::summarize's "(and :count more error|errors)".
 *
 * Usage (from the repository root; the path is a checkout of
 * laravel/framework, 13.x when the file was last generated):
 *
 *     php scripts/gen_laravel_messages.php \
 *         /path/to/laravel/framework/src/Illuminate/Translation/lang/en/validation.php
 *
 * `--check` as a second argument exits 1, writing nothing, when the
 * committed file differs from what the script would write.
 */

if ($argc < 2) {
    fwrite(STDERR, "usage: php {$argv[0]} PATH/TO/validation.php [--check]\n");
    exit(2);
}
$templates = include $argv[1];
if (!is_array($templates) || !isset($templates['required'])) {
    fwrite(STDERR, "{$argv[1]} is not Laravel's validation.php\n");
    exit(2);
}
$check = ($argv[2] ?? '') === '--check';
$out = dirname(__DIR__) . '/crates/contact-batch/tests/data/laravel_messages.json';

/** Str::snake, as Laravel writes it. */
function snake(string $value): string
{
    if (!ctype_lower($value)) {
        $value = preg_replace('/\s+/u', '', ucwords($value));
        $value = strtolower(preg_replace('/(.)(?=[A-Z])/u', '$1_', $value));
    }
    return $value;
}

/** getDisplayableAttribute without custom attributes. */
function displayable(string $attribute, bool $implicit): string
{
    return $implicit ? $attribute : str_replace('_', ' ', snake($attribute));
}

/** The template of a rule (`max.string` reads the nested array). */
function template(array $templates, string $rule): string
{
    $t = $templates;
    foreach (explode('.', $rule) as $part) {
        $t = $t[$part];
    }
    return $t;
}

/**
 * Every message a rasl response can carry that has a Laravel template:
 * [id, rule, attribute, wildcard (implicit) attribute?, replacements].
 * Per-row validation (continue_on_error: true, rasl-update) validates one
 * contact with rules such as `firstname` and `groups.*`; whole-request
 * validation (continue_on_error: false) uses `contacts.*.firstname`.
 */
$cases = [
    ['row.firstname.required', 'required', 'firstname', false, []],
    ['request.firstname.required', 'required', 'contacts.1.firstname', true, []],
    ['row.lastname.string', 'string', 'lastname', false, []],
    ['request.lastname.string', 'string', 'contacts.0.lastname', true, []],
    ['row.firstname.max', 'max.string', 'firstname', false, [':max' => '255']],
    ['request.firstname.max', 'max.string', 'contacts.0.firstname', true, [':max' => '255']],
    ['row.zip.max', 'max.string', 'zip', false, [':max' => '20']],
    ['row.description.max', 'max.string', 'description', false, [':max' => '65535']],
    ['row.source_id.integer', 'integer', 'source_id', false, []],
    ['request.source_id.integer', 'integer', 'contacts.0.source_id', true, []],
    ['row.assigned_id.min', 'min.numeric', 'assigned_id', false, [':min' => '1']],
    ['request.assigned_id.min', 'min.numeric', 'contacts.3.assigned_id', true, [':min' => '1']],
    ['row.type.in', 'in', 'type', false, []],
    ['request.type.in', 'in', 'contacts.0.type', true, []],
    ['row.email.email', 'email', 'email', false, []],
    ['request.email.email', 'email', 'contacts.0.email', true, []],
    ['row.groups.array', 'array', 'groups', false, []],
    ['request.groups.array', 'array', 'contacts.3.groups', true, []],
    ['row.groups.max', 'max.array', 'groups', false, [':max' => '1000']],
    ['row.groups.1.integer', 'integer', 'groups.1', true, []],
    ['request.groups.1.integer', 'integer', 'contacts.0.groups.1', true, []],
    ['row.groups.0.min', 'min.numeric', 'groups.0', true, [':min' => '1']],
    ['row.phone.required', 'required', 'phone', false, []],
    ['row.phone.unique', 'unique', 'phone', false, []],
    ['request.phone.unique', 'unique', 'contacts.2.phone', true, []],
    ['row.phone.distinct', 'distinct', 'phone', false, []],
    ['request.phone.distinct', 'distinct', 'contacts.4.phone', true, []],
    ['contacts.required', 'required', 'contacts', false, []],
    ['contacts.array', 'array', 'contacts', false, []],
    ['contacts.max', 'max.array', 'contacts', false, [':max' => '1000']],
    ['contacts.0.array', 'array', 'contacts.0', true, []],
    ['options.array', 'array', 'options', false, []],
    ['options.skip_duplicates.boolean', 'boolean', 'options.skip_duplicates', false, []],
    ['ids.required', 'required', 'ids', false, []],
    ['ids.0.integer', 'integer', 'ids.0', true, []],
    ['ids.1.min', 'min.numeric', 'ids.1', true, [':min' => '1']],
];

$messages = [];
foreach ($cases as [$id, $rule, $attribute, $implicit, $replace]) {
    $shown = displayable($attribute, $implicit);
    $message = str_replace(
        [':attribute', ':ATTRIBUTE', ':Attribute'],
        [$shown, strtoupper($shown), ucfirst($shown)],
        template($templates, $rule)
    );
    $messages[$id] = strtr($message, $replace);
}
foreach (range(1, 10) as $count) {
    $pluralized = $count === 1 ? 'error' : 'errors';
    $messages["summary.$count"] = str_replace(':count', (string) $count, "(and :count more $pluralized)");
}

$json = json_encode($messages, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n";
if ($check) {
    if (!is_file($out) || file_get_contents($out) !== $json) {
        fwrite(STDERR, "$out is out of date; run {$argv[0]}\n");
        exit(1);
    }
    exit(0);
}
file_put_contents($out, $json);
fwrite(STDERR, 'wrote ' . count($messages) . " messages to crates/contact-batch/tests/data/laravel_messages.json\n");
