//! Command-line flags. Each flag can also come from a `TRIBUNE_*` variable;
//! flags beat variables, variables beat `tribune.toml`, which beats defaults.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "tribune", version, about = "A news site with threaded reader discussions")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Default, Args)]
pub struct GlobalArgs {
    /// Configuration file (default: ./tribune.toml when it exists).
    #[arg(long, global = true, env = "TRIBUNE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to serve on.
    #[arg(long, global = true, env = "TRIBUNE_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Where Tribune keeps its files, including the default SQLite database.
    #[arg(long, global = true, env = "TRIBUNE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// `sqlite://PATH` or `postgres://…` (default: sqlite in the data directory).
    #[arg(long, global = true, env = "TRIBUNE_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<tribune_web::secret::Secret<String>>,
    /// A directory of templates that override the built-in theme.
    #[arg(long, global = true, env = "TRIBUNE_THEME_DIR")]
    pub theme_dir: Option<PathBuf>,
    /// Do not create the demo article on an empty database.
    #[arg(long, global = true, env = "TRIBUNE_NO_DEMO")]
    pub no_demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site, the API and the discussion (the default).
    Serve,
    /// Bring the database schema up to date.
    Migrate,
    /// Manage articles.
    #[command(subcommand)]
    Article(ArticleCommand),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Train, evaluate and run the on-device toxicity and spam scorer.
    #[command(subcommand)]
    Moderation(crate::moderation_cli::ModerationCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// commenter, author, moderator, editor or admin
        #[arg(long, default_value = "commenter")]
        role: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change an account's role.
    SetRole { email: String, role: String },
    /// End every session of an account.
    SignOutEverywhere { email: String },
    /// Stop an account from commenting or acting in its role (it may still sign in).
    Suspend { email: String },
    /// Lift a suspension.
    Reinstate { email: String },
    /// Print a link that signs an account in once, within 24 hours.
    SignInLink { email: String },
}

#[derive(Debug, Subcommand)]
pub enum ArticleCommand {
    /// Publish a Markdown file with front matter (headline, standfirst, byline, section, slug, published_at).
    New { file: PathBuf },
}
