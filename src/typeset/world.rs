//! The Typst [`World`] huibian compiles in: the template folder, the book's data, the
//! fonts, and a fixed date. Nothing else.
//!
//! Typst asks the world for every file it reads. This one answers for exactly two
//! things: files under the template folder (the main template and whatever it imports)
//! and `/book.json`, served from memory. No path outside the template folder, no
//! package download, no network: source text can ask for `/etc/passwd` all it likes,
//! it is only ever printed. `today` is the edition's publication date, so two builds of
//! the same sources give the same PDF.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::files::{FileLoader, FileStore};

use super::data::{BookData, EDITION_PREFIX, image_vpath};
use super::fonts::Fonts;
use crate::book::Images;

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
    /// `edition.typ` in the project's template folder (`Project::templates_dir`) if
    /// present, else the built-in template.
    pub fn locate(templates: &Path) -> anyhow::Result<Self> {
        let dir = templates;
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

/// A Typst project folder as [`FileStore`]s see it: the files under one canonical
/// root, and nothing that resolves (through links) outside it.
///
/// Both worlds read their folder through this and cache it in a [`FileStore`]:
/// [`HuibianWorld`] the template folder, [`super::folder::FolderWorld`] the folder
/// `--emit-typst` writes. One file layer, so that the yardstick times the same reads
/// as the build it measures.
#[derive(Debug, Clone)]
pub struct Folder {
    /// `None`: no folder at all (the built-in template), every file is missing.
    root: Option<PathBuf>,
}

impl Folder {
    /// `root` must be canonical, or links inside it would count as leaving it.
    pub fn new(root: Option<PathBuf>) -> Self {
        Self { root }
    }
}

impl FileLoader for Folder {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(FileError::AccessDenied);
        }
        let Some(root) = &self.root else {
            return Err(FileError::NotFound(PathBuf::from(id.vpath().get_with_slash())));
        };
        let path = id.vpath().realize(root).map_err(FileError::Realize)?;
        let canonical = path.canonicalize().map_err(|e| FileError::from_io(e, &path))?;
        if !canonical.starts_with(root) {
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

/// What [`HuibianWorld`]'s file store loads: the main template and the book's data
/// from memory, the book's images from the edition folder (through
/// [`Images::read`], at `edition/<path>`), anything else from the template folder.
pub struct Served {
    templates: Templates,
    folder: Folder,
    /// `book.json`'s file id.
    data_id: FileId,
    /// The main template, `book.json` and the policies' JSON files, by file id.
    memory: HashMap<FileId, Bytes>,
    /// The book's images by the file id Typst reads them at.
    image_ids: HashMap<FileId, String>,
    images: Images,
}

impl FileLoader for Served {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.memory.get(&id) {
            return Ok(bytes.clone());
        }
        if let Some(path) = self.image_ids.get(&id) {
            return self.images.read(path).map(Bytes::new).map_err(|e| {
                FileError::Other(Some(format!("reading the image {path}: {e}").into()))
            });
        }
        if id.vpath().get_without_slash().starts_with(EDITION_PREFIX) {
            // An image the book does not show: the edition folder is not the
            // template's to read.
            return Err(FileError::AccessDenied);
        }
        self.folder.load(id)
    }
}

/// The file ids of the book's images.
fn image_ids(images: &Images) -> anyhow::Result<HashMap<FileId, String>> {
    images
        .paths()
        .map(|path| Ok((file_id(&image_vpath(path))?, path.to_string())))
        .collect()
}

/// A Typst compilation environment: the standard library, the fonts, a main file,
/// the files `L` loads (cached in typst-kit's [`FileStore`]) and a fixed date. Both
/// worlds are one of these, so the yardstick compiles exactly as the build does.
pub struct TypstWorld<L> {
    library: LazyHash<Library>,
    fonts: Arc<Fonts>,
    main: FileId,
    files: FileStore<L>,
    today: Option<Datetime>,
}

impl<L: FileLoader> TypstWorld<L> {
    /// A world for `main` over `loader`; `today` is what `datetime.today()` gives.
    pub(crate) fn with_loader(
        loader: L,
        main: FileId,
        fonts: Arc<Fonts>,
        today: Option<Datetime>,
    ) -> Self {
        Self {
            library: LazyHash::new(Library::builder().build()),
            fonts,
            main,
            files: FileStore::new(loader),
            today,
        }
    }

    /// The file store, for a world's own reload rules.
    #[cfg(feature = "folder-world")]
    pub(crate) fn files_mut(&mut self) -> &mut FileStore<L> {
        &mut self.files
    }
}

/// The compilation environment of one edition: the template folder and the book's
/// data from memory.
pub type HuibianWorld = TypstWorld<Served>;

/// The files served from memory: the main template, `book.json`, the policies.
fn memory_files(
    templates: &Templates,
    data: BookData,
) -> anyhow::Result<(HashMap<FileId, Bytes>, Images)> {
    let main = (MAIN_TEMPLATE.to_string(), templates.main.clone().into_bytes());
    let book = (DATA_PATH.to_string(), data.main);
    let carried = data.carried.into_iter().map(|(name, bytes)| {
        Ok((file_id(&super::data::attachment_vpath(&name))?, bytes))
    });
    let memory = [main, book]
        .into_iter()
        .chain(data.policies)
        .map(|(path, bytes)| Ok((file_id(&path)?, Bytes::new(bytes))))
        .chain(carried)
        .collect::<anyhow::Result<_>>()?;
    Ok((memory, data.images))
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
        let (memory, images) = memory_files(&templates, data)?;
        let folder = Folder::new(templates.dir.clone());
        let served = Served {
            templates,
            folder,
            memory,
            data_id: file_id(DATA_PATH)?,
            image_ids: image_ids(&images)?,
            images,
        };
        Ok(Self::with_loader(served, file_id(MAIN_TEMPLATE)?, fonts, Some(today)))
    }

    /// The main template's file id.
    pub fn main_id(&self) -> FileId {
        self.main
    }

    /// The data file's id.
    pub fn data_id(&self) -> FileId {
        self.files.loader().data_id
    }

    /// The templates this world serves.
    pub fn templates(&self) -> &Templates {
        &self.files.loader().templates
    }

    /// Whether this world can serve a build with these templates, fonts and date
    /// (then only its data needs replacing).
    pub fn serves(
        &self,
        templates: &Templates,
        fonts: &Arc<Fonts>,
        today: Datetime,
    ) -> bool {
        let ours = self.templates();
        ours.main == templates.main
            && ours.dir == templates.dir
            && Arc::ptr_eq(&self.fonts, fonts)
            && self.today == Some(today)
    }

    /// Replaces the book data for the next compile in this process, and has every
    /// template-folder file read again (an edit there must show).
    pub fn set_data(&mut self, data: BookData) -> anyhow::Result<()> {
        let served = self.files.loader_mut();
        let (mut memory, images) = memory_files(&served.templates, data)?;
        // Unchanged files keep their old `Bytes`, whose hashes Typst has already taken.
        for (id, bytes) in &mut memory {
            if let Some(old) = served.memory.get(id)
                && old.as_slice() == bytes.as_slice()
            {
                *bytes = old.clone();
            }
        }
        served.memory = memory;
        served.image_ids = image_ids(&images)?;
        served.images = images;
        // Stale sources (and images, which an editor may have replaced) are edited in place on their next read, not parsed afresh.
        self.files.reset();
        Ok(())
    }
}

impl<L: FileLoader + Send + Sync> World for TypstWorld<L> {
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
        self.files.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(book: &str) -> BookData {
        BookData {
            main: book.as_bytes().to_vec(),
            policies: vec![("policy/1.json".into(), b"{}".to_vec())],
            images: Images::default(),
            carried: Vec::new(),
        }
    }

    fn text(world: &HuibianWorld, path: &str) -> FileResult<String> {
        let id = file_id(path).unwrap();
        world.file(id).map(|b| String::from_utf8(b.to_vec()).unwrap())
    }

    #[test]
    fn serves_memory_and_the_template_folder_and_rereads_it_for_new_data() {
        let dir = tempfile::tempdir().unwrap();
        let templates_dir = dir.path().join("templates");
        std::fs::create_dir_all(templates_dir.join("lib")).unwrap();
        std::fs::write(templates_dir.join(MAIN_TEMPLATE), "on disk, shadowed").unwrap();
        std::fs::write(templates_dir.join("lib/a.typ"), "a1").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("secret.txt"),
            templates_dir.join("out"),
        )
        .unwrap();
        let templates = Templates {
            dir: Some(templates_dir.canonicalize().unwrap()),
            main: "#import \"lib/a.typ\"".into(),
        };
        let fonts = Arc::new(Fonts::without_system(&[]));
        let today = Datetime::from_ymd(2021, 12, 31).unwrap();
        let mut world =
            HuibianWorld::new(templates, data("{\"v\":1}"), fonts, today).unwrap();

        let main = world.source(world.main()).unwrap();
        assert_eq!(main.text(), "#import \"lib/a.typ\"");
        assert_eq!(text(&world, DATA_PATH).unwrap(), "{\"v\":1}");
        assert_eq!(text(&world, "policy/1.json").unwrap(), "{}");
        assert_eq!(text(&world, "lib/a.typ").unwrap(), "a1");
        assert_eq!(text(&world, "out"), Err(FileError::AccessDenied));
        assert_eq!(text(&world, "lib"), Err(FileError::IsDirectory));
        assert!(matches!(text(&world, "none.typ"), Err(FileError::NotFound(_))));

        // Within one compile a file is read once; the next build's data re-reads it.
        std::fs::write(templates_dir.join("lib/a.typ"), "a2").unwrap();
        assert_eq!(text(&world, "lib/a.typ").unwrap(), "a1");
        world.set_data(data("{\"v\":2}")).unwrap();
        assert_eq!(text(&world, "lib/a.typ").unwrap(), "a2");
        assert_eq!(text(&world, DATA_PATH).unwrap(), "{\"v\":2}");
        assert_eq!(world.source(world.main()).unwrap().text(), main.text());
    }

    #[test]
    fn the_built_in_template_has_no_folder() {
        let fonts = Arc::new(Fonts::without_system(&[]));
        let today = Datetime::from_ymd(2021, 12, 31).unwrap();
        let world =
            HuibianWorld::new(Templates::builtin(), data("{}"), fonts, today).unwrap();
        assert!(world.source(world.main()).unwrap().text().contains("book.json"));
        assert!(matches!(text(&world, "lib/a.typ"), Err(FileError::NotFound(_))));
    }
}
