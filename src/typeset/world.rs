//! The Typst [`World`] huibian compiles in: the template folder, the book's data, the
//! fonts, and a fixed date. Nothing else.
//!
//! Typst asks the world for every file it reads. This one answers for exactly two
//! things: files under the template folder (the main template and whatever it imports)
//! and `/book.json`, served from memory. No path outside the template folder, no
//! package download, no network: source text can ask for `/etc/passwd` all it likes,
//! it is only ever printed. `today` is the edition's publication date, so two builds of
//! the same sources give the same PDF.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::data::BookData;
use super::fonts::Fonts;

/// The virtual path of the book's data.
pub const DATA_PATH: &str = "book.json";
/// The main template's file name inside the template folder.
pub const MAIN_TEMPLATE: &str = "edition.typ";

/// The built-in template, used when a project has no `templates/edition.typ`.
const BUILTIN_TEMPLATE: &str = include_str!("../../templates/edition.typ");

/// Where the Typst templates come from.
#[derive(Debug, Clone)]
pub struct Templates {
    /// The template folder on disk, canonicalised; `None` for the built-in template.
    pub dir: Option<PathBuf>,
    /// The main template's text.
    pub main: String,
}

impl Templates {
    /// `<project>/templates/edition.typ` if present, else the built-in template.
    pub fn locate(project: &Path) -> anyhow::Result<Self> {
        let dir = project.join("templates");
        let main_path = dir.join(MAIN_TEMPLATE);
        if !main_path.is_file() {
            return Ok(Self::builtin());
        }
        let main = std::fs::read_to_string(&main_path)
            .map_err(|e| anyhow::anyhow!("reading {}: {e}", main_path.display()))?;
        let dir = dir
            .canonicalize()
            .map_err(|e| anyhow::anyhow!("opening {}: {e}", dir.display()))?;
        Ok(Self { dir: Some(dir), main })
    }

    /// The template compiled into huibian.
    pub fn builtin() -> Self {
        Self { dir: None, main: BUILTIN_TEMPLATE.to_string() }
    }

    /// The path to show in messages about the main template.
    pub fn main_path(&self) -> PathBuf {
        match &self.dir {
            Some(dir) => dir.join(MAIN_TEMPLATE),
            None => PathBuf::from("<built-in>/edition.typ"),
        }
    }
}

/// The compilation environment of one edition.
pub struct HuibianWorld {
    library: LazyHash<Library>,
    fonts: Arc<Fonts>,
    templates: Templates,
    main: FileId,
    data_id: FileId,
    main_source: Source,
    data: Bytes,
    /// The policies' JSON files, by file id.
    policies: std::collections::HashMap<FileId, Bytes>,
    today: Datetime,
}

fn policy_files(
    files: Vec<(String, Vec<u8>)>,
) -> anyhow::Result<std::collections::HashMap<FileId, Bytes>> {
    files
        .into_iter()
        .map(|(path, json)| Ok((file_id(&path)?, Bytes::new(json))))
        .collect()
}

fn file_id(path: &str) -> anyhow::Result<FileId> {
    let vpath = VirtualPath::new(path)
        .map_err(|e| anyhow::anyhow!("virtual path {path}: {e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl HuibianWorld {
    /// A world serving `templates`, the book data `data`, and `fonts`.
    pub fn new(
        templates: Templates,
        data: BookData,
        fonts: Arc<Fonts>,
        today: Datetime,
    ) -> anyhow::Result<Self> {
        let main = file_id(MAIN_TEMPLATE)?;
        let main_source = Source::new(main, templates.main.clone());
        Ok(Self {
            library: LazyHash::new(Library::builder().build()),
            fonts,
            templates,
            main,
            data_id: file_id(DATA_PATH)?,
            main_source,
            data: Bytes::new(data.main),
            policies: policy_files(data.policies)?,
            today,
        })
    }

    /// The main template's file id.
    pub fn main_id(&self) -> FileId {
        self.main
    }

    /// The data file's id.
    pub fn data_id(&self) -> FileId {
        self.data_id
    }

    /// The templates this world serves.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// Whether this world can serve a build with these templates, fonts and date
    /// (then only its data needs replacing).
    pub fn serves(
        &self,
        templates: &Templates,
        fonts: &Arc<Fonts>,
        today: Datetime,
    ) -> bool {
        self.templates.main == templates.main
            && self.templates.dir == templates.dir
            && Arc::ptr_eq(&self.fonts, fonts)
            && self.today == today
    }

    /// Replaces the book data (for rebuilds in one process).
    pub fn set_data(&mut self, data: BookData) -> anyhow::Result<()> {
        self.data = Bytes::new(data.main);
        // Unchanged files keep their old `Bytes`, so Typst sees them as unchanged.
        let mut files = policy_files(data.policies)?;
        for (id, bytes) in &mut files {
            if let Some(old) = self.policies.get(id)
                && old.as_slice() == bytes.as_slice()
            {
                *bytes = old.clone();
            }
        }
        self.policies = files;
        Ok(())
    }

    /// Reads a template-folder file other than the main template, refusing anything
    /// that resolves (through links) outside the folder.
    fn template_file(&self, id: FileId) -> FileResult<Bytes> {
        let rooted = id.get();
        if !matches!(rooted.root(), VirtualRoot::Project) {
            return Err(FileError::AccessDenied);
        }
        let Some(dir) = &self.templates.dir else {
            return Err(FileError::NotFound(PathBuf::from(
                rooted.vpath().get_with_slash(),
            )));
        };
        let path = rooted.vpath().realize(dir).map_err(FileError::Realize)?;
        let canonical = path.canonicalize().map_err(|e| FileError::from_io(e, &path))?;
        if !canonical.starts_with(dir) {
            return Err(FileError::AccessDenied);
        }
        if canonical.is_dir() {
            return Err(FileError::IsDirectory);
        }
        std::fs::read(&canonical)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, &path))
    }
}

impl World for HuibianWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            return Ok(self.main_source.clone());
        }
        let bytes = self.template_file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        if let Some(bytes) = self.policies.get(&id) {
            return Ok(bytes.clone());
        }
        if id == self.main {
            return Ok(Bytes::from_string(self.main_source.clone()));
        }
        self.template_file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
