// Real PEM objects for admission tests that read DER: EC P-256 requests made with openssl (one key
// for all), and a self-signed CA certificate. Test data only.

/** KeyUsage digital signature + key encipherment, ExtKeyUsage server auth, no BasicConstraints. */
export const serverAuthCsrPem = `-----BEGIN CERTIFICATE REQUEST-----
MIIBBTCBqwIBADAWMRQwEgYDVQQDDAthcHAuZXhhbXBsZTBZMBMGByqGSM49AgEG
CCqGSM49AwEHA0IABI3nRPaXgzb/nOyjd0O/fSIFXPQVvGstZR1KjJ9SjFY0rof2
Gtqu9L/VXR6++2M/PmihMkfLFB0tLMmLO14a05egMzAxBgkqhkiG9w0BCQ4xJDAi
MAsGA1UdDwQEAwIFoDATBgNVHSUEDDAKBggrBgEFBQcDATAKBggqhkjOPQQDAgNJ
ADBGAiEA2hNJRzs4LE+mTXCgZ+gqVkyTp3GHV18UaugCCh+XbbcCIQC5Vm2wEInY
ym7PedBaCk95NSmsL6Qu2UJw4nT+j+uNcg==
-----END CERTIFICATE REQUEST-----
`;

/** BasicConstraints CA:TRUE, KeyUsage digital signature + key encipherment + cert sign. */
export const caCsrPem = `-----BEGIN CERTIFICATE REQUEST-----
MIH+MIGmAgEAMBUxEzARBgNVBAMMCmNhLmV4YW1wbGUwWTATBgcqhkjOPQIBBggq
hkjOPQMBBwNCAASN50T2l4M2/5zso3dDv30iBVz0FbxrLWUdSoyfUoxWNK6H9hra
rvS/1V0evvtjPz5ooTJHyxQdLSzJizteGtOXoC8wLQYJKoZIhvcNAQkOMSAwHjAP
BgNVHRMBAf8EBTADAQH/MAsGA1UdDwQEAwICpDAKBggqhkjOPQQDAgNHADBEAiAK
oG5gY1XcXKNf1VCWIcCE7j7k2hzoyDUffMHlJQxe8wIgP5q/2Bsh4JZBiBYQeWcw
zBe7fwD2br+g/t01RLQgGwE=
-----END CERTIFICATE REQUEST-----
`;

/** No requested extensions at all. */
export const plainCsrPem = `-----BEGIN CERTIFICATE REQUEST-----
MIHRMHoCAQAwGDEWMBQGA1UEAwwNcGxhaW4uZXhhbXBsZTBZMBMGByqGSM49AgEG
CCqGSM49AwEHA0IABI3nRPaXgzb/nOyjd0O/fSIFXPQVvGstZR1KjJ9SjFY0rof2
Gtqu9L/VXR6++2M/PmihMkfLFB0tLMmLO14a05egADAKBggqhkjOPQQDAgNHADBE
AiBUGJWYSt0t7PreqACRyYk7PtmUFOMMjK8eJ4aUhKi5QAIgKcRTPSSGpzdXFPvE
bBuq8OJ4bjAG0L7YokDgolZpxDM=
-----END CERTIFICATE REQUEST-----
`;

/** A self-signed CA certificate (CN=bundle-ca), for caBundle fields. */
export const caCertificatePem = `-----BEGIN CERTIFICATE-----
MIIBfTCCASOgAwIBAgIUEyqJ27/v7XLB0YVnPgDdn98fSuUwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJYnVuZGxlLWNhMB4XDTI2MTIwMzE0NDcxN1oXDTM2MTEzMDE0
NDcxN1owFDESMBAGA1UEAwwJYnVuZGxlLWNhMFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAEjedE9peDNv+c7KN3Q799IgVc9BW8ay1lHUqMn1KMVjSuh/Ya2q70v9Vd
Hr77Yz8+aKEyR8sUHS0syYs7XhrTl6NTMFEwHQYDVR0OBBYEFBHmu3/5VOdbTu3n
dpLEZ5dYj5vtMB8GA1UdIwQYMBaAFBHmu3/5VOdbTu3ndpLEZ5dYj5vtMA8GA1Ud
EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgVQhIj33+a5b6z0oS8ThbUDzh
l8GxKBSYDgdQHYxccx4CIQDoL5AoJDSKSoFOJp1PKHyAdUne0yjEIgQ1h1hTaT0R
lw==
-----END CERTIFICATE-----
`;
