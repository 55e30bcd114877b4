//! One HTTPS client for the whole run: every SDK client of every target sends through it, so
//! the TLS configuration (the parsed root certificates) and the connection pool exist once.
//!
//! Left to themselves the SDK's clients each build their own default HTTP client, and each
//! construction also builds a throwaway TLS configuration to check it can: measured at 1 000
//! targets, that was about 500 MB of root-certificate stores and most of the client's CPU.

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::shared::IntoShared;

/// The SDK's default HTTPS client (rustls with aws-lc, the proxy from the environment), made
/// once; its connectors are cached by their settings, so every client shares one pool.
pub fn shared_client() -> SharedHttpClient {
    let client = Builder::new().build_with_connector_fn(|settings, components| {
        let mut builder =
            ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
        builder.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            builder.set_sleep_impl(components.sleep_impl());
        }
        builder.set_proxy_config(Some(ProxyConfig::from_env()));
        builder.build()
    });
    Checked(client).into_shared()
}

/// The client, with the per-construction check skipped: it was done once, here, by building.
#[derive(Debug)]
struct Checked(SharedHttpClient);

impl HttpClient for Checked {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.0.http_connector(settings, components)
    }

    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        self.0.connector_metadata()
    }
}
