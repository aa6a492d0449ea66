//! `contact-batch-scheduler`: Ballista's scheduler whose sessions know the
//! contact-batch UDFs (it plans and serializes queries that call them).
//! Ballista's own flags (`--help`), S3 and object-store support kept; the
//! change to `ballista-scheduler` is the session builder.

use std::sync::Arc;

use ballista_core::error::BallistaError;
use ballista_core::object_store::session_config_with_s3_support;
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::{Config, SchedulerConfig};
use ballista_scheduler::scheduler_process::start_server;
use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ballista_core::error::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .thread_stack_size(32 * 1024 * 1024)
        .build()
        .map_err(|e| BallistaError::General(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(run())
}

async fn run() -> ballista_core::error::Result<()> {
    let opt = Config::parse();
    let prefix = format!(
        "scheduler_{}_{}_{}",
        opt.namespace, opt.external_host, opt.bind_port
    );
    contact_batch_ballista::init_logging(
        &opt.log_level_setting,
        opt.print_thread_info,
        opt.log_dir.as_deref().map(|d| (d, prefix.as_str())),
    );
    let addr = format!("{}:{}", opt.bind_host, opt.bind_port);
    let addr = addr
        .parse()
        .map_err(|e: std::net::AddrParseError| BallistaError::Configuration(e.to_string()))?;
    let config: SchedulerConfig = opt.try_into()?;
    let config = config
        .with_override_config_producer(Arc::new(session_config_with_s3_support))
        .with_override_session_builder(Arc::new(contact_batch_ballista::session_state));
    let cluster = BallistaCluster::new_from_config(&config).await?;
    start_server(cluster, addr, Arc::new(config)).await?;
    Ok(())
}
