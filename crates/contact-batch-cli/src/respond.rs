//! `contact-batch respond`: one request body in, one `{"status", "body"}` out.

use std::io::{self, IsTerminal, Write};

use contact_batch::{Config, Engine};

use crate::cli::RespondArgs;
use crate::input;
use crate::CliError;

pub(crate) fn run(args: &RespondArgs) -> Result<(), CliError> {
    let profile = args.profile.0;
    let mut config = Config::new(profile);
    config.default_region = args.default_region.clone();
    config.max_batch = args.max_batch;
    config.threads = args.threads;
    config.phone_metadata = input::read_phone_metadata(args.phone_metadata.as_deref())?;
    let engine = Engine::new(config)
        .map_err(|e| CliError::new(input::config_error(&e, args.phone_metadata.as_deref())))?;
    let existing = input::read_existing(args.existing.as_deref(), args.existing_max_keys)?;
    let from_stdin = args.request.as_deref().is_none_or(input::is_stdin);
    if from_stdin && io::stdin().is_terminal() {
        eprintln!(
            "contact-batch: reading the request body from standard input (end it with Ctrl-D)"
        );
    }
    // Raw bytes: invalid UTF-8, an empty body, ... are the engine's to
    // answer. A body over the limit is not read past it.
    let outcome = match input::read_body(args.request.as_deref(), engine.config().max_body_bytes)? {
        input::Body::Whole(body) => engine.respond(&body, &existing),
        input::Body::TooLarge(size) => engine.refuse_oversized(size),
    };
    let mut line = outcome.response.to_json();
    line.push('\n');
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(line.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::write("the response", e))
}
