using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Dropzone.ExoSetup.Engine.Errors;

namespace Dropzone.ExoSetup.Engine.Certificates
{
    /// <summary>
    /// The one certificate reader. It accepts the vendor's public certificate as PEM, DER or bare
    /// base64 (.crt, .cer, .pem) and refuses, before anything is written, whatever cannot be it:
    /// a file holding a private key (the vendor keeps its key, so such a file is somebody else's
    /// certificate), an expired certificate, or one whose thumbprint is not the one the vendor shows.
    /// </summary>
    public static class CertificateReader
    {
        private static readonly Regex PemBlock = new Regex(
            @"-----BEGIN (?<label>[A-Z0-9 ]+)-----(?<body>.*?)-----END \k<label>-----",
            RegexOptions.Singleline | RegexOptions.CultureInvariant);

        private static readonly Regex Hex40 = new Regex("^[0-9A-F]{40}$", RegexOptions.CultureInvariant);

        /// <summary>Reads and checks a certificate file. Warnings (e.g. a chain file) go to <paramref name="warn"/>.</summary>
        public static VendorCertificate ReadFile(string path, string expectedThumbprint, DateTimeOffset now, Action<string> warn = null)
        {
            var expected = NormalizeExpected(expectedThumbprint);
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
                throw DropzoneErrors.CertificateFileNotFound(path);
            byte[] content;
            try
            {
                content = ReadBounded(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw DropzoneErrors.CertificateFileUnreadable(path, e);
            }
            var der = ExtractDer(content, path, warn ?? (_ => { }));
            return Check(der, expected, now, path);
        }

        /// <summary>
        /// The largest certificate file read. A certificate is a few KB (a PEM chain a few dozen);
        /// anything bigger is the wrong file, refused before it is read into memory.
        /// </summary>
        public const int MaxFileBytes = 1024 * 1024;

        private static byte[] ReadBounded(string path)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                if (stream.CanSeek && stream.Length > MaxFileBytes) throw DropzoneErrors.CertificateTooLarge(path, stream.Length);
                // A file whose length is not known up front (a pipe, a device) is read up to the limit only.
                var buffer = new byte[MaxFileBytes + 1];
                var total = 0;
                int read;
                while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0) total += read;
                if (total > MaxFileBytes) throw DropzoneErrors.CertificateTooLarge(path, null);
                Array.Resize(ref buffer, total);
                return buffer;
            }
        }

        /// <summary>Checks a certificate given as an object (-Certificate).</summary>
        public static VendorCertificate FromCertificate(X509Certificate2 certificate, string expectedThumbprint, DateTimeOffset now)
        {
            if (certificate == null) throw new ArgumentNullException(nameof(certificate));
            var expected = NormalizeExpected(expectedThumbprint);
            if (certificate.HasPrivateKey)
                throw DropzoneErrors.CertificateHasPrivateKey("the -Certificate object");
            return Check(certificate.RawData, expected, now, "the -Certificate object");
        }

        /// <summary>SHA-1 of DER bytes as upper-case hex, as the Entra portal shows a thumbprint.</summary>
        public static string ThumbprintOf(byte[] der)
        {
            using (var sha1 = SHA1.Create())
            {
                return string.Concat(sha1.ComputeHash(der).Select(b => b.ToString("X2")));
            }
        }

        /// <summary>A thumbprint as people paste it (spaces, colons, lower case) in the portal's form.</summary>
        public static string NormalizeThumbprint(string thumbprint) =>
            thumbprint == null ? null : new string(thumbprint.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();

        private static string NormalizeExpected(string expectedThumbprint)
        {
            if (string.IsNullOrWhiteSpace(expectedThumbprint)) return null;
            var normalized = new string(expectedThumbprint.Where(c => !char.IsWhiteSpace(c) && c != ':' && c != '-').ToArray()).ToUpperInvariant();
            if (!Hex40.IsMatch(normalized))
                throw DropzoneErrors.InvalidThumbprint(expectedThumbprint);
            return normalized;
        }

        private static byte[] ExtractDer(byte[] content, string source, Action<string> warn)
        {
            if (content.Length == 0) throw DropzoneErrors.CertificateInvalid(source, "the file is empty");

            // Binary: DER (a certificate) or PKCS#12 (a certificate with its private key).
            if (content[0] == 0x30)
                return FromBinary(content, source);

            string text;
            using (var reader = new StreamReader(new MemoryStream(content), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            {
                text = reader.ReadToEnd();
            }

            var blocks = PemBlock.Matches(text).Cast<Match>().ToList();
            if (text.Contains("-----BEGIN"))
            {
                if (blocks.Any(b => b.Groups["label"].Value.Contains("PRIVATE KEY")) || text.Contains("PRIVATE KEY-----"))
                    throw DropzoneErrors.CertificateHasPrivateKey(source);
                var certificates = blocks.Where(b => b.Groups["label"].Value == "CERTIFICATE").ToList();
                if (certificates.Count == 0) throw DropzoneErrors.CertificateInvalid(source, "it has no '-----BEGIN CERTIFICATE-----' block");
                if (certificates.Count > 1)
                    warn($"{source} holds {certificates.Count} certificates; the first one is used.");
                return FromBinary(DecodeBase64(certificates[0].Groups["body"].Value, source), source);
            }

            // Bare base64 of the DER bytes (what some tools save as .cer).
            return FromBinary(DecodeBase64(text, source), source);
        }

        private static byte[] DecodeBase64(string text, string source)
        {
            var compact = new string(text.Where(c => !char.IsWhiteSpace(c)).ToArray());
            try
            {
                return Convert.FromBase64String(compact);
            }
            catch (FormatException)
            {
                throw DropzoneErrors.CertificateInvalid(source, "it is neither a PEM, DER nor base64 certificate");
            }
        }

        private static byte[] FromBinary(byte[] bytes, string source)
        {
            X509ContentType type;
            try
            {
                type = X509Certificate2.GetCertContentType(bytes);
            }
            catch (CryptographicException)
            {
                throw DropzoneErrors.CertificateInvalid(source, "it is not a certificate");
            }
            switch (type)
            {
                case X509ContentType.Cert:
                    return bytes;
                case X509ContentType.Pkcs12:
                    throw DropzoneErrors.CertificateHasPrivateKey(source);
                default:
                    throw DropzoneErrors.CertificateInvalid(source, $"it holds {type} content, not a single certificate");
            }
        }

        private static VendorCertificate Check(byte[] der, string expected, DateTimeOffset now, string source)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = new X509Certificate2(der);
            }
            catch (CryptographicException e)
            {
                throw DropzoneErrors.CertificateInvalid(source, e.Message);
            }
            using (certificate)
            {
                var thumbprint = ThumbprintOf(der);
                var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
                var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
                if (expected != null && expected != thumbprint)
                    throw DropzoneErrors.CertificateThumbprintMismatch(source, thumbprint, expected);
                if (notAfter <= now)
                    throw DropzoneErrors.CertificateExpired(source, thumbprint, notAfter);
                return new VendorCertificate((byte[])der.Clone(), thumbprint, certificate.Subject, notBefore, notAfter);
            }
        }
    }
}
