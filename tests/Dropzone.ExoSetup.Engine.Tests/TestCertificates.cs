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

    }

    /// <summary>A folder for certificate files that is gone when the test is.</summary>
    internal sealed class TempFolder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dz-cert-tests-" + Guid.NewGuid());

        public TempFolder() => Directory.CreateDirectory(Path);

        public string WriteText(string text, string extension = ".crt")
        {
            var path = System.IO.Path.Combine(Path, Guid.NewGuid() + extension);
            File.WriteAllText(path, text);
            return path;
        }

        public string WriteBytes(byte[] bytes, string extension = ".cer")
        {
            var path = System.IO.Path.Combine(Path, Guid.NewGuid() + extension);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
