<?php

declare(strict_types=1);

namespace ContactBatch\Ffi;

/** An engine config, or warm-up regions, the engine cannot run with (code 3). */
class ConfigException extends Exception
{
}
