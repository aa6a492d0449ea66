<?php
/**
 * The application php-fpm serves in the deployment test and the benchmark:
 * what a host does per request, in one of these modes (?mode=...):
 *   shared   ContactBatch\Engine::shared($config)->respond($body)   (the one line per request)
 *   new      new ContactBatch\Engine($config) per request
 *   ffi      new ContactBatch\Ffi\Engine($config) per request (the FFI package)
 *   cold     a new engine's first batch, timed; warm: the same after ->warm($regions)
 * Answers JSON: the engine's status, this worker's pid, shared-engine
 * counters, memory, and the time spent (set-up and respond) in nanoseconds.
 */

declare(strict_types=1);

$mode = $_GET['mode'] ?? 'shared';
$config = ['profile' => 'rasl-create', 'default_region' => 'US'];
$body = file_get_contents('php://input');
$regions = $_GET['regions'] ?? 'US,GB,DE,FR,IN,BR,JP,AU,CA,MX';

function rss_kb(): int
{
    $s = @file_get_contents('/proc/self/status');
    return $s !== false && preg_match('/VmRSS:\s+(\d+)/', $s, $m) ? (int) $m[1] : -1;
}

function ffi_engine(array $config): object
{
    spl_autoload_register(function (string $class): void {
        $prefix = 'ContactBatch\\Ffi\\';
        if (str_starts_with($class, $prefix)) {
            require getenv('CONTACT_BATCH_FFI_SRC') . '/' . substr($class, strlen($prefix)) . '.php';
        }
    });
    return new ContactBatch\Ffi\Engine($config, getenv('CONTACT_BATCH_LIB') ?: null);
}

$t0 = hrtime(true);
try {
    switch ($mode) {
        case 'shared':
            $engine = ContactBatch\Engine::shared($config);
            break;
        case 'new':
        case 'cold':
            $engine = new ContactBatch\Engine($config);
            break;
        case 'warm':
            $engine = new ContactBatch\Engine($config);
            $engine->warm($regions);
            break;
        case 'ffi':
            $engine = ffi_engine($config);
            break;
        case 'stats':
            $engine = null;
            break;
        default:
            throw new InvalidArgumentException("unknown mode $mode");
    }
    $t1 = hrtime(true);
    $r = $engine === null ? ['status' => 200] : $engine->respond($body);
    $t2 = hrtime(true);
    $status = $r['status'];
    $error = null;
} catch (Throwable $e) {
    $t1 = $t2 = hrtime(true);
    $status = 500;
    $error = get_class($e) . ': ' . $e->getMessage();
}
header('Content-Type: application/json');
echo json_encode([
    'status' => $status,
    'error' => $error,
    'pid' => getmypid(),
    'stats' => extension_loaded('contact_batch') ? ContactBatch\Engine::sharedStats() : null,
    'rss_kb' => rss_kb(),
    'heap' => memory_get_usage(),
    'setup_ns' => $t1 - $t0,
    'respond_ns' => $t2 - $t1,
]);
