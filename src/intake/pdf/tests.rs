use std::path::{Path, PathBuf};

use super::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/intake/pdf").join(name)
}

fn read_fixture(name: &str) -> Result<Intake, IntakeError> {
    let path = fixture(name);
    let bytes = std::fs::read(&path).unwrap();
    read(&path, &bytes)
}

#[test]
fn debug_dump() {
    for name in ["gongwen.pdf", "gazette-gbk.pdf", "gazette-gb-h.pdf", "gongwen-no-tounicode.pdf", "no-unicode.pdf", "scan.pdf"] {
        match read_fixture(name) {
            Ok(i) => {
                println!("== {name}: {} {:?} {:?}", i.format, i.fields, i.notes);
                for b in &i.blocks { println!("{b:?}"); }
            }
            Err(e) => println!("== {name}: ERR {e:?}"),
        }
    }
}
