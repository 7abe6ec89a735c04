//! The body of the SAP PDF: the revision history and contents, then Sections 1–8 of the FedRAMP
//! Rev5 SAP template, one function per section (Sections 3 and 6 in two parts), each returning
//! its blocks.
//!
//! Invariant: pure; each function reads only the SAP data it is given and the [`Names`] worked
//! out once, and keeps the template's headings, numbering and table captions.

use assay_pdf::{Align, Block, SignatureRow};

use super::{table, Names};
use crate::model::sap::{display_date, Sap, SapData};
use crate::pdf_parts::{col, or_dash, para, yes_no};

/// The revision history and the table of contents.
pub(super) fn front_matter(d: &SapData, n: &Names) -> Vec<Block> {
    let Names { ia, date, .. } = n;
    vec![
        Block::heading(1, None, "Document Revision History"),
        table(
            "Document Revision History",
            vec![
                col("Date", 1.2),
                col("Description", 4.0),
                col("Version", 0.8),
                col("Author", 2.0),
            ],
            vec![vec![
                date.clone(),
                "Security Assessment Plan prepared for the CSP's review and signature".into(),
                or_dash(&d.document.version),
                ia.clone(),
            ]],
        ),
        Block::TableOfContents,
        Block::PageBreak,
    ]
}

/// Section 1: about this document and who should use it.
pub(super) fn introduction(n: &Names) -> Vec<Block> {
    let Names { cso, csp, ia, .. } = n;
    vec![
        Block::heading(1, Some("1"), "Introduction"),
        Block::heading(2, Some("1.1"), "About this Document"),
        para(format!(
            "This Security Assessment Plan (SAP) describes how {ia} will assess the security controls of {cso}, \
             a cloud service offering of {csp}, for FedRAMP. It follows the FedRAMP Rev5 SAP template and states \
             the scope, assumptions, methodology, team, tools, schedule and rules of engagement of the assessment."
        )),
        Block::heading(
            2,
            Some("1.2"),
            "Who Should Use this Document",
        ),
        para(
            "The CSP, the FedRAMP authorizing officials and their reviewers, and the assessment team use this plan to \
             agree on what will be tested and how before testing begins.",
        ),
    ]
}

/// Section 2: the engagement, its purpose and the applicable laws and guidance.
pub(super) fn background(sap: &Sap, n: &Names) -> Vec<Block> {
    let h = &sap.header;
    let d = &sap.data;
    let Names { cso, csp, ia, .. } = n;
    let mut b: Vec<Block> = Vec::new();
    b.push(Block::heading(1, Some("2"), "Background"));
    b.push(para(format!(
        "{csp} has engaged {ia} to perform the {} assessment of {cso} at the FedRAMP {} impact level.",
        h.assessment_type.label().to_lowercase(),
        h.impact_level.label()
    )));
    b.push(Block::heading(2, Some("2.1"), "Purpose"));
    b.push(para(d.document.purpose.clone()));
    b.push(Block::heading(
        2,
        Some("2.2"),
        "Applicable Laws, Regulations, Standards and Guidance",
    ));
    b.push(Block::Bullets {
        items: [
            "Federal Information Security Modernization Act of 2014 (FISMA)",
            "OMB Circular A-130, Managing Information as a Strategic Resource",
            "OMB Memorandum M-24-15, Modernizing FedRAMP",
            "FIPS 199, Standards for Security Categorization of Federal Information and Information Systems",
            "NIST SP 800-53 Rev 5, Security and Privacy Controls for Information Systems and Organizations",
            "NIST SP 800-53A Rev 5, Assessing Security and Privacy Controls",
            "NIST SP 800-115, Technical Guide to Information Security Testing and Assessment",
            "FedRAMP Penetration Test Guidance",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
    });
    b
}

/// Section 3 to 3.2: the scope table, the locations and what is slated for testing (components,
/// inventory, web applications, databases, container images, APIs).
pub(super) fn scope(sap: &Sap, n: &Names) -> Vec<Block> {
    let h = &sap.header;
    let d = &sap.data;
    let Names { cso, csp, .. } = n;
    let mut b: Vec<Block> = Vec::new();
    b.push(Block::heading(1, Some("3"), "Scope"));
    b.push(table(
        "Table 3-1. Assessment Scope",
        vec![
            col("FedRAMP Package ID", 1.5),
            col("CSP Name", 2.0),
            col("CSO Name", 2.0),
            col("Baseline", 1.0),
        ],
        vec![vec![
            or_dash(&h.package_id),
            csp.clone(),
            cso.clone(),
            h.impact_level.label().to_owned(),
        ]],
    ));
    b.push(para(d.scope.narrative.clone()));
    if let Some(s) = &h.ssp {
        b.push(Block::KeyValue {
            rows: vec![
                ("System Security Plan".into(), or_dash(&s.title)),
                ("SSP version".into(), or_dash(&s.version)),
                ("SSP date".into(), or_dash(&s.display_date())),
                ("SSP source".into(), s.source_name.clone()),
                ("SSP SHA-256".into(), s.source_sha256.clone()),
            ],
        });
    }
    b.push(Block::heading(2, Some("3.1"), "Location of Components"));
    b.push(table(
        "Table 3-2. Location of Components",
        vec![
            col("Data Center Site Name", 2.0),
            col("Address", 2.5),
            col("Description of Components", 3.5),
        ],
        d.scope
            .locations
            .iter()
            .map(|l| vec![l.name.clone(), l.address.clone(), l.description.clone()])
            .collect(),
    ));
    b.push(Block::heading(
        2,
        Some("3.2"),
        "IP Addresses Slated for Testing",
    ));
    b.push(para(
        "The IP addresses and hosts in scope are those of the inventory in the SSP's Integrated Inventory Workbook, \
         referenced here rather than attached. The components and inventory items below are tested unless marked excluded.",
    ));
    b.push(table(
        "Table 3-3. Components and Inventory in Scope",
        vec![
            col("Kind", 1.1),
            col("Name", 2.6),
            col("Type / Addresses", 2.3),
            col("In Scope", 0.8),
            col("Reason for Exclusion", 2.2),
        ],
        d.scope
            .subjects
            .iter()
            .map(|s| {
                vec![
                    if s.kind == "component" {
                        "Component"
                    } else {
                        "Inventory item"
                    }
                    .into(),
                    s.title.clone(),
                    or_dash(&s.detail),
                    yes_no(s.included),
                    if s.included {
                        String::new()
                    } else {
                        s.reason.clone()
                    },
                ]
            })
            .collect(),
    ));
    b.push(table(
        "Table 3-4. Web Applications",
        vec![
            col("Web Application", 2.5),
            col("Login URL", 3.0),
            col("Test User IDs", 2.5),
        ],
        d.scope
            .web_applications
            .iter()
            .map(|w| {
                vec![
                    w.name.clone(),
                    or_dash(&w.login_url),
                    or_dash(&w.test_user_ids.join(", ")),
                ]
            })
            .collect(),
    ));
    for (caption, list) in [
        ("Table 3-5. Databases", &d.scope.databases),
        ("Table 3-6. Container Images", &d.scope.container_images),
        ("Table 3-7. APIs", &d.scope.apis),
    ] {
        b.push(table(
            caption,
            vec![col("Name", 3.0), col("Details", 5.0)],
            list.iter()
                .map(|a| vec![a.name.clone(), or_dash(&a.detail)])
                .collect(),
        ));
    }
    b
}

/// Sections 3.3 and 3.4: the roles tested (and, for a significant change, where its roles are).
pub(super) fn role_testing(d: &SapData, n: &Names) -> Vec<Block> {
    let mut b: Vec<Block> = Vec::new();
    b.push(Block::heading(2, Some("3.3"), "Role Testing"));
    b.push(para(
        "The roles below, taken from the SSP's users, are tested with the test user IDs shown; roles excluded from \
         testing carry the reason for their exclusion.",
    ));
    b.push(table(
        "Table 3-8. Role Testing",
        vec![
            col("Role", 1.9),
            col("Type", 1.1),
            col("Test User ID", 1.4),
            col("Functions", 2.4),
            col("Tested", 1.0),
            col("Reason for Exclusion", 2.0),
        ],
        d.roles
            .iter()
            .map(|r| {
                vec![
                    r.role.clone(),
                    or_dash(&r.user_type),
                    or_dash(&r.test_user_id),
                    or_dash(&r.functions),
                    yes_no(r.tested),
                    if r.tested {
                        String::new()
                    } else {
                        r.exclusion_reason.clone()
                    },
                ]
            })
            .collect(),
    ));
    if n.scr {
        b.push(Block::heading(
            2,
            Some("3.4"),
            "Role Testing for Significant Changes",
        ));
        b.push(para("Roles introduced or changed by the significant change are listed in Appendix D, Table D-1."));
    }
    b
}

/// Section 4: the assumptions, numbered.
pub(super) fn assumptions(d: &SapData) -> Vec<Block> {
    let mut b: Vec<Block> = Vec::new();
    b.push(Block::heading(1, Some("4"), "Assumptions"));
    b.push(para("The assessment rests on the following assumptions:"));
    for (i, a) in d.assumptions.iter().enumerate() {
        b.push(Block::Paragraph {
            text: format!("{}.  {a}", i + 1),
            align: Align::Left,
        });
    }
    b
}

/// Section 5: control testing, data gathering, sampling and the penetration test.
pub(super) fn methodology(d: &SapData) -> Vec<Block> {
    let mut b: Vec<Block> = Vec::new();
    let m = &d.methodology;
    b.push(Block::heading(1, Some("5"), "Methodology"));
    b.push(Block::heading(2, Some("5.1"), "Control Testing"));
    b.push(para(m.control_testing.clone()));
    if !m.alternative_implementations.is_empty() {
        b.push(para(format!(
            "Alternative implementations to be tested: {}.",
            m.alternative_implementations.join(", ")
        )));
    }
    b.push(Block::heading(2, Some("5.2"), "Data Gathering"));
    b.push(para(m.data_gathering.clone()));
    b.push(Block::heading(2, Some("5.3"), "Sampling"));
    b.push(para(m.sampling.clone()));
    b.push(Block::heading(2, Some("5.4"), "Penetration Test"));
    b.push(para(format!(
        "{} The plan is in Appendix C.",
        m.penetration_testing
    )));
    b
}

/// Sections 6 to 6.2: the assessment team and the CSP's points of contact.
pub(super) fn test_team(sap: &Sap) -> Vec<Block> {
    let mut b: Vec<Block> = Vec::new();
    b.push(Block::heading(1, Some("6"), "Test Plan"));
    b.push(Block::heading(2, Some("6.1"), "Security Assessment Team"));
    b.push(table(
        "Table 6-1. Security Assessment Team",
        vec![
            col("Name", 2.2),
            col("Assessment Role", 2.2),
            col("Title", 2.0),
            col("Validated by IA", 1.0),
            col("Validated by CSP", 1.0),
        ],
        sap.team
            .iter()
            .map(|t| {
                vec![
                    t.member.name.clone(),
                    t.member.role.label().to_owned(),
                    or_dash(&t.member.title),
                    yes_no(t.validated_by_ia),
                    yes_no(t.validated_by_csp),
                ]
            })
            .collect(),
    ));
    b.push(Block::heading(
        2,
        Some("6.2"),
        "CSP Testing Points of Contact",
    ));
    b.push(table(
        "Table 6-2. CSP Testing Points of Contact",
        vec![
            col("Name", 2.2),
            col("Role", 2.4),
            col("Title", 2.0),
            col("E-mail / Phone", 2.4),
        ],
        sap.csp_contacts
            .iter()
            .map(|c| {
                let reach = [c.email.as_str(), c.phone.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" / ");
                vec![
                    c.name.clone(),
                    c.role.label().to_owned(),
                    or_dash(&c.title),
                    or_dash(&reach),
                ]
            })
            .collect(),
    ));
    b
}

/// Sections 6.3 to 6.5: the automated tools, the manual methods and the schedule.
pub(super) fn test_methods(d: &SapData) -> Vec<Block> {
    let mut b: Vec<Block> = Vec::new();
    b.push(Block::heading(
        2,
        Some("6.3"),
        "Testing Performed Using Automated Tools",
    ));
    b.push(table(
        "Table 6-3. Automated Tools",
        vec![
            col("Tool Name", 2.0),
            col("Vendor / Organization and Version", 2.6),
            col("Purpose of Tool", 3.4),
        ],
        d.tools
            .iter()
            .map(|t| {
                vec![
                    t.name.clone(),
                    format!("{} {}", t.vendor, t.version).trim().to_owned(),
                    or_dash(&t.purpose),
                ]
            })
            .collect(),
    ));
    b.push(Block::heading(
        2,
        Some("6.4"),
        "Testing Performed Using Manual Methods",
    ));
    b.push(table(
        "Table 6-4. Manual Methods",
        vec![
            col("Test ID", 0.8),
            col("Test Name", 2.2),
            col("Method", 1.0),
            col("Description", 4.0),
        ],
        d.manual_tests
            .iter()
            .map(|t| {
                vec![
                    t.id.clone(),
                    t.name.clone(),
                    or_dash(&t.method),
                    or_dash(&t.description),
                ]
            })
            .collect(),
    ));
    b.push(Block::heading(2, Some("6.5"), "Schedule"));
    b.push(table(
        "Table 6-5. Schedule",
        vec![
            col("Task Name", 4.0),
            col("Start Date", 1.5),
            col("Finish Date", 1.5),
        ],
        d.schedule
            .iter()
            .map(|t| {
                vec![
                    t.name.clone(),
                    or_dash(&display_date(t.start)),
                    or_dash(&display_date(t.finish)),
                ]
            })
            .collect(),
    ));
    b
}

/// Section 7: origination addresses, disclosures, end of testing, results and liability.
pub(super) fn rules_of_engagement(d: &SapData, n: &Names) -> Vec<Block> {
    let Names { csp, ia, .. } = n;
    let mut b: Vec<Block> = Vec::new();
    let roe = &d.rules_of_engagement;
    b.push(Block::heading(1, Some("7"), "Rules of Engagement"));
    b.push(para(format!(
        "Testing originates only from the following IP addresses: {}.",
        if d.scan_origination_ips.is_empty() {
            "—".to_owned()
        } else {
            d.scan_origination_ips.join(", ")
        }
    )));
    b.push(Block::heading(2, Some("7.1"), "Disclosures"));
    b.push(para(format!(
        "Testing is performed against the production system. {csp} acknowledges the activities below by signing this plan."
    )));
    b.push(Block::heading(
        3,
        Some("7.1.1"),
        "Security Testing May Include",
    ));
    b.push(Block::Bullets {
        items: roe.included_activities.clone(),
    });
    b.push(Block::heading(
        3,
        Some("7.1.2"),
        "Security Testing Will Not Include",
    ));
    b.push(Block::Bullets {
        items: roe.excluded_activities.clone(),
    });
    b.push(Block::heading(2, Some("7.2"), "End of Testing"));
    b.push(para(format!(
        "When testing ends, {ia} will notify {}.",
        or_dash(&roe.end_of_testing_contact)
    )));
    b.push(Block::heading(
        2,
        Some("7.3"),
        "Communication of Test Results",
    ));
    b.push(para(format!(
        "Test results will be delivered to {} within {} days of the end of testing.",
        if roe.results_recipients.trim().is_empty() {
            "the CSP's points of contact"
        } else {
            roe.results_recipients.as_str()
        },
        roe.results_delivery_days
    )));
    b.push(Block::heading(2, Some("7.4"), "Limitation of Liability"));
    for p in &roe.liability {
        b.push(para(p.clone()));
    }
    b
}

/// Section 8: the 3PAO's and the CSP's signatures (blank lines until the SAP is signed).
pub(super) fn signatures(sap: &Sap, n: &Names) -> Vec<Block> {
    let Names { csp, ia, .. } = n;
    let mut b: Vec<Block> = Vec::new();
    b.push(Block::heading(1, Some("8"), "Signatures"));
    b.push(para(
        "The signatures below confirm that the independent assessor and the CSP agree to this plan. It must be signed before testing begins.",
    ));
    let (ia_sig, csp_sig) = match &sap.signing {
        Some(s) => (
            SignatureRow {
                role: format!("{ia} representative"),
                name: s.ia.name.clone(),
                title: s.ia.title.clone(),
                date: display_date(Some(s.ia.date)),
            },
            SignatureRow {
                role: format!("{csp} representative"),
                name: s.csp.name.clone(),
                title: s.csp.title.clone(),
                date: display_date(Some(s.csp.date)),
            },
        ),
        None => (
            SignatureRow {
                role: format!("{ia} representative"),
                ..SignatureRow::default()
            },
            SignatureRow {
                role: format!("{csp} representative"),
                ..SignatureRow::default()
            },
        ),
    };
    b.push(Block::Signature {
        rows: vec![ia_sig, csp_sig],
    });
    b
}
