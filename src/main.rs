use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "whosaid", version, about = "Who said what and who did what in news articles")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train the model heads (and fine-tune the encoder) from ../shared/data.
    Train {
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        #[arg(long, default_value = "models/whosaid.safetensors")]
        out: PathBuf,
        #[arg(long, default_value_t = 5)]
        epochs: usize,
        #[arg(long, default_value_t = 32)]
        batch_size: usize,
        #[arg(long, default_value_t = 1e-4)]
        encoder_lr: f64,
        #[arg(long, default_value_t = 2e-3)]
        head_lr: f64,
        #[arg(long, default_value_t = 0.05)]
        warmup: f64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, default_value_t = 0)]
        limit: usize,
        #[arg(long, default_value_t = 2)]
        threads: i32,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Train {
            data,
            out,
            epochs,
            batch_size,
            encoder_lr,
            head_lr,
            warmup,
            seed,
            limit,
            threads,
        } => {
            let encoder_dir = std::env::var_os("WHOSAID_ENCODER_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(".deps/encoder"));
            whosaid::train::train(&whosaid::train::TrainConfig {
                data,
                encoder_dir,
                out,
                epochs,
                batch_size,
                encoder_lr,
                head_lr,
                warmup,
                seed,
                limit,
                threads,
            })
        }
    }
}
