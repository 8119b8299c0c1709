//! Same scenario + seed ⇒ byte-identical results for any thread count.

use super::support::*;

fn summary_with(dir: &std::path::Path, extra: &[&str]) -> Vec<u8> {
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let out = dir.join(format!("out{}", extra.join("_")));
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let result = cxsim(&args);
    assert!(result.status.success(), "{:?}", text(&result));
    std::fs::read(out.join("summary.json")).unwrap()
}

#[test]
fn thread_count_does_not_change_results() {
    let dir = scratch("determinism");
    let one = summary_with(&dir, &["--threads", "1"]);
    let two = summary_with(&dir, &["--threads", "2"]);
    let three = summary_with(&dir, &["--threads", "3"]);
    assert_eq!(one, two, "summary.json differs between 1 and 2 threads");
    assert_eq!(one, three, "summary.json differs between 1 and 3 threads");
    let other_seed = summary_with(&dir, &["--threads", "2", "--seed", "4"]);
    assert_ne!(
        one, other_seed,
        "a different seed must give different numbers"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn intervals_csv_identical_across_threads() {
    let dir = scratch("determinism-csv");
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let mut csvs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.join(threads);
        let r = cxsim(&[
            "run",
            file.to_str().unwrap(),
            "-q",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(r.status.success());
        csvs.push(std::fs::read(out.join("intervals.csv")).unwrap());
    }
    assert_eq!(csvs[0], csvs[1]);
    let _ = std::fs::remove_dir_all(&dir);
}
