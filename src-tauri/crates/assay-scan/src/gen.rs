//! Deterministic generator of synthetic Nessus v2 files for benchmarks and tests.
//!
//! Invariant: output depends only on the [`GenSpec`] (a seeded SplitMix64 stream), and is
//! written straight to the given writer host by host, so files of any size can be made
//! without holding them in memory.

use std::io::{self, Write};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct GenSpec {
    /// PRNG seed.
    pub seed: u64,
    /// ReportItems per host (the first is plugin 19506; about one in twenty is a
    /// compliance check).
    pub items_per_host: usize,
    /// Stop after the first host that brings the output to at least this many bytes.
    pub target_bytes: u64,
    /// Upper bound on hosts (use `usize::MAX` to size by bytes only).
    pub max_hosts: usize,
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenStats {
    /// Hosts written.
    pub hosts: u64,
    /// ReportItems written.
    pub items: u64,
    /// Compliance ReportItems among them.
    pub compliance_items: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// SplitMix64: tiny, fast, good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

struct Counter<'w, W> {
    inner: &'w mut W,
    bytes: u64,
}

impl<W: Write> Write for Counter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

const PLUGINS: [(&str, &str, &str, u8); 8] = [
    ("11219", "Nessus SYN scanner", "Port scanners", 0),
    ("22964", "Service Detection", "Service detection", 0),
    ("10287", "Traceroute Information", "General", 0),
    ("57582", "SSL Self-Signed Certificate", "General", 2),
    (
        "42873",
        "SSL Medium Strength Cipher Suites Supported (SWEET32)",
        "General",
        3,
    ),
    (
        "58987",
        "PHP Unsupported Version Detection",
        "CGI abuses",
        4,
    ),
    (
        "104743",
        "TLS Version 1.0 Protocol Detection",
        "Service detection",
        2,
    ),
    (
        "65821",
        "SSL RC4 Cipher Suites Supported (Bar Mitzvah)",
        "General",
        1,
    ),
];

const WORDS: [&str; 16] = [
    "remote",
    "host",
    "service",
    "version",
    "affected",
    "vulnerable",
    "cipher",
    "protocol",
    "server",
    "request",
    "response",
    "configured",
    "listening",
    "supports",
    "detected",
    "banner",
];

fn words(rng: &mut Rng, n: usize, out: &mut String) {
    for i in 0..n {
        if i > 0 {
            out.push(if rng.below(12) == 0 { '\n' } else { ' ' });
        }
        out.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
    }
}

/// Writes a synthetic `.nessus` document to `out`.
pub fn write_nessus<W: Write>(out: &mut W, spec: &GenSpec) -> io::Result<GenStats> {
    let mut rng = Rng(spec.seed);
    let mut w = Counter {
        inner: out,
        bytes: 0,
    };
    let mut stats = GenStats::default();
    writeln!(w, "<?xml version=\"1.0\" ?>\n<NessusClientData_v2>\n<Policy><policyName>Synthetic Policy</policyName><Preferences><ServerPreferences>")?;
    for i in 0..50 {
        writeln!(
            w,
            "<preference><name>pref_{i}</name><value>value {i}</value></preference>"
        )?;
    }
    writeln!(w, "</ServerPreferences></Preferences></Policy>")?;
    writeln!(
        w,
        "<Report name=\"Synthetic Scan\" xmlns:cm=\"http://www.nessus.org/cm\">"
    )?;
    let mut text = String::with_capacity(4096);
    while (stats.hosts as usize) < spec.max_hosts && w.bytes < spec.target_bytes {
        let h = stats.hosts;
        let ip = format!("10.{}.{}.{}", (h >> 16) & 255, (h >> 8) & 255, h & 255);
        writeln!(w, "<ReportHost name=\"{ip}\"><HostProperties>")?;
        writeln!(w, "<tag name=\"HOST_END\">Tue Mar 22 15:16:04 2022</tag>")?;
        writeln!(
            w,
            "<tag name=\"host-ip\">{ip}</tag><tag name=\"host-fqdn\">host{h}.example.test</tag>"
        )?;
        writeln!(w, "<tag name=\"operating-system\">Linux Kernel 5.4</tag><tag name=\"Credentialed_Scan\">true</tag>")?;
        writeln!(
            w,
            "<tag name=\"HOST_START\">Tue Mar 22 14:54:47 2022</tag></HostProperties>"
        )?;
        for i in 0..spec.items_per_host {
            stats.items += 1;
            if i == 0 {
                writeln!(w, "<ReportItem port=\"0\" svc_name=\"general\" protocol=\"tcp\" severity=\"0\" pluginID=\"19506\" pluginName=\"Nessus Scan Information\" pluginFamily=\"Settings\">\n<description>Information about this scan.</description>\n<plugin_output>Information about this scan : \n\nNessus version : 10.1.1\nScan name : Synthetic Scan\nCredentialed checks : yes\n</plugin_output>\n</ReportItem>")?;
                continue;
            }
            if rng.below(20) == 0 {
                stats.compliance_items += 1;
                let result = ["PASSED", "FAILED", "FAILED", "WARNING"][rng.below(4) as usize];
                let sev = match result {
                    "PASSED" => 1,
                    "WARNING" => 2,
                    _ => 3,
                };
                text.clear();
                words(&mut rng, 40, &mut text);
                writeln!(w, "<ReportItem severity=\"{sev}\" port=\"0\" pluginFamily=\"Policy Compliance\" pluginName=\"Unix Compliance Checks\" pluginID=\"21157\" protocol=\"\" svc_name=\"unknown\">\n<description>{text}</description>\n<cm:compliance-check-name>{i}.1 Ensure setting {i} is configured</cm:compliance-check-name>\n<cm:compliance-check-id>{:016x}</cm:compliance-check-id>\n<cm:compliance-audit-file>CIS_Synthetic_v1.audit</cm:compliance-audit-file>\n<cm:compliance-result>{result}</cm:compliance-result>\n<cm:compliance-actual-value>actual {i}</cm:compliance-actual-value>\n<cm:compliance-policy-value>expected {i}</cm:compliance-policy-value>\n<cm:compliance-reference>800-171|3.4.2,800-53|CM-6,CSF|PR.IP-1</cm:compliance-reference>\n</ReportItem>", rng.next())?;
                continue;
            }
            let (id, name, family, sev) = PLUGINS[rng.below(PLUGINS.len() as u64) as usize];
            let port = [22, 80, 443, 3306, 8080][rng.below(5) as usize];
            text.clear();
            let n = 30 + rng.below(200) as usize;
            words(&mut rng, n, &mut text);
            write!(w, "<ReportItem port=\"{port}\" svc_name=\"www\" protocol=\"tcp\" severity=\"{sev}\" pluginID=\"{id}\" pluginName=\"{name}\" pluginFamily=\"{family}\">\n<description>{text}</description>\n<fname>plugin_{id}.nasl</fname>\n<plugin_modification_date>2022/01/01</plugin_modification_date>\n<plugin_type>remote</plugin_type>\n<risk_factor>Medium</risk_factor>\n<script_version>1.{id}</script_version>\n<solution>Upgrade the affected software.</solution>\n<synopsis>The remote service is affected.</synopsis>\n")?;
            if sev > 0 {
                let year = 2015 + rng.below(8);
                write!(w, "<cvss_base_score>5.0</cvss_base_score>\n<cvss_vector>CVSS2#AV:N/AC:L/Au:N/C:P/I:N/A:N</cvss_vector>\n<cvss3_base_score>7.5</cvss3_base_score>\n<cvss3_vector>CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N</cvss3_vector>\n<cve>CVE-{year}-{}</cve>\n<cve>CVE-{year}-{}</cve>\n<xref>IAVA:{year}-A-0001</xref>\n<see_also>https://example.test/advisory/{id}</see_also>\n", 1000 + rng.below(9000), 1000 + rng.below(9000))?;
            }
            text.clear();
            let n = 10 + rng.below(120) as usize;
            words(&mut rng, n, &mut text);
            writeln!(
                w,
                "<plugin_output>\n  {text}\n</plugin_output>\n</ReportItem>"
            )?;
        }
        writeln!(w, "</ReportHost>")?;
        stats.hosts += 1;
    }
    writeln!(w, "</Report>\n</NessusClientData_v2>")?;
    w.flush()?;
    stats.bytes = w.bytes;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_for_a_seed() {
        let spec = GenSpec {
            seed: 7,
            items_per_host: 30,
            target_bytes: u64::MAX,
            max_hosts: 2,
        };
        let mut a = Vec::new();
        let mut b = Vec::new();
        let sa = write_nessus(&mut a, &spec).unwrap();
        write_nessus(&mut b, &spec).unwrap();
        assert_eq!(a, b);
        assert_eq!(sa.hosts, 2);
        assert_eq!(sa.items, 60);
        assert_eq!(sa.bytes, a.len() as u64);
    }
}
