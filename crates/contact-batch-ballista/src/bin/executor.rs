//! `contact-batch-executor`: Ballista's executor with the contact-batch
//! UDFs in its function registry. Ballista's own flags (`--help`), S3 and
//! object-store support kept; the only change to `ballista-executor` is
//! `override_function_registry`.

use std::net::SocketAddr;
use std::sync::Arc;

use ballista_core::error::BallistaError;
use ballista_core::object_store::{runtime_env_with_s3_support, session_config_with_s3_support};
use ballista_executor::config::Config;
use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use ballista_executor::health::spawn_health_server;
use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ballista_core::error::Result<()> {
    let opt = Config::parse();
    let health_addr = format!("{}:{}", opt.bind_host, opt.bind_health_port);
    let mut config: ExecutorProcessConfig = opt.try_into()?;
    config.override_config_producer = Some(Arc::new(session_config_with_s3_support));
    config.override_runtime_producer = Some(Arc::new(runtime_env_with_s3_support));
    if std::env::var_os("CONTACT_BATCH_EXECUTOR_WITHOUT_UDFS").is_none() {
        config.override_function_registry =
            Some(Arc::new(contact_batch_ballista::function_registry()));
    }
    let prefix = config.log_file_name_prefix();
    contact_batch_ballista::init_logging(
        &config.special_mod_log_level,
        config.print_thread_info,
        config.log_dir.as_deref().map(|d| (d, prefix.as_str())),
    );

    let health_addr: SocketAddr = health_addr
        .parse()
        .map_err(|e| BallistaError::General(format!("invalid --bind-health-port address: {e}")))?;
    let (stop_health, stopped) = tokio::sync::oneshot::channel();
    let health = spawn_health_server(health_addr, config.health.clone(), stopped);
    let result = start_executor_process(Arc::new(config)).await;
    let _ = stop_health.send(());
    if let Err(e) = health.await {
        log::warn!("health server task join error: {e}");
    }
    result
}
