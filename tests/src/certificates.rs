//! Certificates made for TLS tests: a service's own certificate authority, and a server
//! certificate for 127.0.0.1 that it signed, written where a `tandem-server` reads them.

use std::ffi::OsString;
use std::path::Path;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};

/// A certificate authority: its certificate (PEM) and what signs with it.
pub fn authority(name: &str) -> (String, Issuer<'static, KeyPair>) {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("no names");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    let key = KeyPair::generate().expect("a key");
    let cert = params.self_signed(&key).expect("a certificate");
    (cert.pem(), Issuer::new(params, key))
}

/// A server certificate for 127.0.0.1 signed by `ca`, and its key, written in `dir`; the
/// `tandem-server` arguments that serve them.
pub fn server_tls(dir: &Path, ca: &Issuer<'static, KeyPair>) -> Vec<OsString> {
    let key = KeyPair::generate().expect("a key");
    let cert = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .expect("a name")
        .signed_by(&key, ca)
        .expect("a signed certificate");
    let (cert_file, key_file) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert_file, cert.pem()).expect("the certificate is written");
    std::fs::write(&key_file, key.serialize_pem()).expect("the key is written");
    vec![
        "--tls-cert".into(),
        cert_file.into_os_string(),
        "--tls-key".into(),
        key_file.into_os_string(),
    ]
}
