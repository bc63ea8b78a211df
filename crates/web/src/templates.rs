//! The theme: auto-escaping minijinja templates. The default theme is built
//! into the binary; a theme directory may override any file or add new ones.
//! Every template is compiled at start, so a broken theme stops the server
//! with the file and line instead of failing a reader's request later.

use crate::error::AppError;
use minijinja::Environment;
use serde::Serialize;
use std::path::Path;

/// The default theme, embedded at build time.
pub const DEFAULT_THEME: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("article.html", include_str!("../templates/article.html")),
    ("comments.html", include_str!("../templates/comments.html")),
    ("comment_form.html", include_str!("../templates/comment_form.html")),
    ("error.html", include_str!("../templates/error.html")),
];

#[derive(Debug, thiserror::Error)]
#[error("template {file}{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
pub struct TemplateError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// The default theme, overridden by the `.html` files in `theme_dir`.
    pub fn load(theme_dir: Option<&Path>) -> Result<Self, TemplateError> {
        let mut sources: Vec<(String, String)> =
            DEFAULT_THEME.iter().map(|(name, source)| ((*name).to_owned(), (*source).to_owned())).collect();
        if let Some(dir) = theme_dir {
            for (name, source) in read_theme_dir(dir)? {
                match sources.iter_mut().find(|(known, _)| *known == name) {
                    Some(slot) => slot.1 = source,
                    None => sources.push((name, source)),
                }
            }
        }
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        for (name, source) in sources {
            env.add_template_owned(name.clone(), source).map_err(|e| TemplateError {
                file: name.clone(),
                line: e.line(),
                message: e.detail().map_or_else(|| e.kind().to_string(), str::to_owned),
            })?;
        }
        Ok(Self { env })
    }

    pub fn render(&self, name: &str, context: impl Serialize) -> Result<String, AppError> {
        let template =
            self.env.get_template(name).map_err(|e| AppError::Internal(format!("template {name}: {e:#}")))?;
        template.render(context).map_err(|e| AppError::Internal(format!("rendering {name}: {e:#}")))
    }

    pub fn names(&self) -> Vec<String> {
        self.env.templates().map(|(name, _)| name.to_owned()).collect()
    }
}

fn read_theme_dir(dir: &Path) -> Result<Vec<(String, String)>, TemplateError> {
    let unreadable = |message: String| TemplateError { file: dir.display().to_string(), line: None, message };
    let entries = std::fs::read_dir(dir).map_err(|e| unreadable(format!("cannot read theme directory: {e}")))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| unreadable(e.to_string()))?.path();
        if path.extension().is_some_and(|ext| ext == "html") {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let source = std::fs::read_to_string(&path).map_err(|e| TemplateError {
                file: path.display().to_string(),
                line: None,
                message: format!("cannot read: {e}"),
            })?;
            files.push((name, source));
        }
    }
    Ok(files)
}
