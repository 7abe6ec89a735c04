//! Prints the scores of the CVSS vectors given as arguments.
fn main() {
    for arg in std::env::args().skip(1) {
        match assay_risk::parse_cvss(&arg) {
            Ok(cvss) => println!("{:?}", cvss.score()),
            Err(e) => println!("{arg}: {e}"),
        }
    }
}
