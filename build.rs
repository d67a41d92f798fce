//! Bakes the libtorch library folder into the binaries' rpath, so `target/*/whosaid` and the
//! test binaries run without LD_LIBRARY_PATH. LIBTORCH is set by `.cargo/config.toml`.
fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    if let Ok(dir) = std::env::var("LIBTORCH") {
        let lib = std::path::Path::new(&dir).join("lib");
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
    }
}
