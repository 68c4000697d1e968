//! Which servers a device trusts: the public web's certificate authorities (webpki-roots, so
//! the same on every platform, with no system OpenSSL), and any certificates the store was
//! given ([`crate::OpenOptions::trusted_certificates`]): a service's own authority, or its
//! server's certificate, pinned. One rustls configuration serves the HTTP calls and the
//! WebSocket.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use crate::error::{Error, Result};

/// The TLS client settings for a store that trusts `extra_pem` besides the public roots.
pub fn client_config(extra_pem: Option<&str>) -> Result<Arc<rustls::ClientConfig>> {
    super::install_crypto();
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(pem) = extra_pem {
        let bad = |why: String| Error::invalid("trusted_certificates", why);
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let cert = cert.map_err(|e| bad(format!("it is not PEM certificates: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| bad(format!("a certificate in it cannot be trusted: {e}")))?;
            added += 1;
        }
        if added == 0 {
            return Err(bad("it holds no PEM certificate".into()));
        }
    }
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Whether an error's text says the server's certificate was not trusted.
pub(crate) fn is_certificate_error(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    text.contains("certificate") || text.contains("unknownissuer")
}

/// The sentence for a server whose certificate this device does not trust.
pub(crate) fn untrusted(server: &str, detail: &str) -> Error {
    Error::Sync(format!(
        "the server at {server} has a certificate this device does not trust ({detail}); \
         if your service uses its own certificate authority, give its certificate to Tandem"
    ))
}
