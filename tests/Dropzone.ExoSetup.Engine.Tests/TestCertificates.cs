using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Dropzone.ExoSetup.Engine.Tests
{
    /// <summary>Self-signed certificates made in memory, and files holding them in each format.</summary>
    internal static class TestCertificates
    {
        public static X509Certificate2 Create(DateTimeOffset notBefore, DateTimeOffset notAfter, string subject = "CN=Dropzone AI test")
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var withKey = request.CreateSelfSigned(notBefore, notAfter);
            // The public part only, as the vendor hands it out.
            return X509CertificateLoader.LoadCertificate(withKey.RawData);
        }

        public static X509Certificate2 Valid() => Create(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        public static string Pem(X509Certificate2 certificate) =>
            "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(certificate.RawData, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n";

        public static string WriteText(string text, string extension = ".crt")
        {
            var path = Path.Combine(Path.GetTempPath(), "dz-cert-" + Guid.NewGuid() + extension);
            File.WriteAllText(path, text);
            return path;
        }

        public static string WriteBytes(byte[] bytes, string extension = ".cer")
        {
            var path = Path.Combine(Path.GetTempPath(), "dz-cert-" + Guid.NewGuid() + extension);
            File.WriteAllBytes(path, bytes);
            return path;
        }
    }
}
