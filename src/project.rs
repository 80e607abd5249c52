//! Where things are: the project root and its `sources/`, `templates/`, `fonts/`.
//!
//! Every command resolves the folders it reads through one [`Project`], so that a
//! command never spells `"sources"` itself, and so that a later `huibian.toml` (other
//! folder names, a shared font folder) has one place to be read.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::edition;

/// A project: the folder holding `sources/`, `templates/` and `fonts/`.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// Empty for the current folder, so that paths in messages stay short and
    /// relative (`sources/2021-Q4/edition.toml`), as the editor typed them.
    root: PathBuf,
}

impl Project {
    /// The project in the current folder.
    pub fn current() -> Self {
        Self::default()
    }

    /// The project rooted at `root`.
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The project root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `sources/`: one folder per edition.
    pub fn sources_dir(&self) -> PathBuf {
        self.root.join("sources")
    }

    /// `templates/`: `edition.typ` and the HTML templates.
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }

    /// `fonts/`: searched for fonts before the system's.
    pub fn fonts_dir(&self) -> PathBuf {
        self.root.join("fonts")
    }

    /// The edition folder an argument names: a path to an edition folder, or an id
    /// under `sources/`.
    pub fn resolve(&self, arg: &str) -> anyhow::Result<PathBuf> {
        edition::resolve(arg, &self.sources_dir())
    }

    /// The edition folders `names` name, or every edition under `sources/` if none.
    pub fn editions(&self, names: &[String]) -> anyhow::Result<Vec<PathBuf>> {
        if !names.is_empty() {
            return names.iter().map(|name| self.resolve(name)).collect();
        }
        let sources_dir = self.sources_dir();
        let found = edition::discover(&sources_dir)
            .context("no edition given, and none found under sources/")?;
        if found.is_empty() {
            bail!("no edition given, and {} holds none", sources_dir.display());
        }
        Ok(found)
    }

    /// The latest edition under `sources/` (by id, which sorts by quarter).
    pub fn latest_edition(&self) -> anyhow::Result<PathBuf> {
        let sources_dir = self.sources_dir();
        edition::discover(&sources_dir)
            .context("no --from given, and no edition found to start from")?
            .pop()
            .with_context(|| {
                format!(
                    "no edition under {} to start from; pass --from",
                    sources_dir.display()
                )
            })
    }

    /// The folder a new edition `id` goes to, `sources/<ID>/`, once `id` is known to
    /// make a folder name. `new` and `import` both create editions through this, so
    /// both refuse the same ids the same way.
    pub fn new_edition_dir(&self, id: &str) -> anyhow::Result<PathBuf> {
        if !edition::is_valid_id(id) {
            bail!("invalid edition id `{id}`: use letters, digits and `-`, e.g. 2022-Q1");
        }
        Ok(self.sources_dir().join(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_editions_refuse_ids_that_are_not_folder_names() {
        let project = Project::at("p");
        assert_eq!(
            project.new_edition_dir("2022-Q1").unwrap(),
            Path::new("p/sources/2022-Q1")
        );
        for bad in ["", "../x", "a/b", "2022 Q1", "二〇二二"] {
            let err = project.new_edition_dir(bad).unwrap_err().to_string();
            assert!(err.contains("invalid edition id"), "{bad}: {err}");
        }
    }
}
