using System;
using System.IO;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dropzone.ExoSetup.Engine.Certificates;
using Dropzone.ExoSetup.Engine.Errors;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    public sealed class CertificateReaderTests : IDisposable
    {
        private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
        private readonly TempFolder _files = new TempFolder();

        public void Dispose() => _files.Dispose();

        [Fact]
        public void Pem_der_and_bare_base64_files_give_the_same_certificate_and_portal_thumbprint()
        {
            var certificate = TestCertificates.Valid();
            var fromPem = CertificateReader.ReadFile(_files.WriteText(TestCertificates.Pem(certificate)), null, Now);
            var fromDer = CertificateReader.ReadFile(_files.WriteBytes(certificate.RawData), null, Now);
            var fromBase64 = CertificateReader.ReadFile(_files.WriteText(Convert.ToBase64String(certificate.RawData), ".cer"), null, Now);

            foreach (var read in new[] { fromPem, fromDer, fromBase64 })
            {
                Assert.Equal(certificate.Thumbprint, read.Thumbprint);
                Assert.Equal(certificate.RawData, read.RawData);
            }
            Assert.Matches("^[0-9A-F]{40}$", fromPem.Thumbprint);
        }

        [Fact]
        public void Validity_dates_come_from_the_certificate()
        {
            var notBefore = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var notAfter = new DateTimeOffset(2040, 6, 30, 12, 0, 0, TimeSpan.Zero);
            var read = CertificateReader.ReadFile(_files.WriteText(TestCertificates.Pem(TestCertificates.Create(notBefore, notAfter))), null, Now);
            Assert.Equal(notBefore, read.NotBefore);
            Assert.Equal(notAfter, read.NotAfter);
        }

        [Theory]
        [InlineData("PRIVATE KEY")]
        [InlineData("RSA PRIVATE KEY")]
        [InlineData("ENCRYPTED PRIVATE KEY")]
        public void A_pem_with_a_private_key_block_is_refused(string label)
        {
            var certificate = TestCertificates.Valid();
            var text = TestCertificates.Pem(certificate) + $"-----BEGIN {label}-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END {label}-----\n";
            var error = Assert.Throws<DropzoneException>(() => CertificateReader.ReadFile(_files.WriteText(text, ".pem"), null, Now));
            Assert.Equal(ErrorIds.CertificateHasPrivateKey, error.ErrorId);
        }

        [Fact]
        public void A_pfx_is_refused_because_it_holds_a_private_key()
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=pfx", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var withKey = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            var pfx = withKey.Export(X509ContentType.Pfx, "pw");
            var error = Assert.Throws<DropzoneException>(() => CertificateReader.ReadFile(_files.WriteBytes(pfx, ".pfx"), null, Now));
            Assert.Equal(ErrorIds.CertificateHasPrivateKey, error.ErrorId);
        }

        [Fact]
        public void A_certificate_object_with_its_private_key_is_refused()
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=object", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var withKey = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            var error = Assert.Throws<DropzoneException>(() => CertificateReader.FromCertificate(withKey, null, Now));
            Assert.Equal(ErrorIds.CertificateHasPrivateKey, error.ErrorId);
            using var publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);
            Assert.Equal(withKey.Thumbprint, CertificateReader.FromCertificate(publicOnly, null, Now).Thumbprint);
        }

        [Fact]
        public void An_expired_certificate_is_refused()
        {
            var expired = TestCertificates.Create(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1));
            var error = Assert.Throws<DropzoneException>(() => CertificateReader.ReadFile(_files.WriteText(TestCertificates.Pem(expired)), null, Now));
            Assert.Equal(ErrorIds.CertificateExpired, error.ErrorId);
        }

        [Fact]
        public void A_certificate_not_yet_valid_is_read_and_says_so()
        {
            var future = TestCertificates.Create(DateTimeOffset.UtcNow.AddDays(3), DateTimeOffset.UtcNow.AddYears(1));
            var read = CertificateReader.ReadFile(_files.WriteText(TestCertificates.Pem(future)), null, Now);
            Assert.True(read.IsNotYetValid(Now));
        }

        [Fact]
        public void The_expected_thumbprint_matches_however_it_was_pasted_and_refuses_another()
        {
            var certificate = TestCertificates.Valid();
            var path = _files.WriteText(TestCertificates.Pem(certificate));
            var pasted = string.Join(" ", SplitPairs(certificate.Thumbprint.ToLowerInvariant()));
            Assert.Equal(certificate.Thumbprint, CertificateReader.ReadFile(path, pasted, Now).Thumbprint);

            var other = TestCertificates.Valid().Thumbprint;
            var error = Assert.Throws<DropzoneException>(() => CertificateReader.ReadFile(path, other, Now));
            Assert.Equal(ErrorIds.CertificateThumbprintMismatch, error.ErrorId);
            Assert.Contains(certificate.Thumbprint, error.Message);
        }

        [Fact]
        public void An_expected_thumbprint_that_is_not_one_is_refused_before_the_file_is_read()
        {
            var error = Assert.Throws<DropzoneException>(() => CertificateReader.ReadFile("/nonexistent.crt", "not-a-thumbprint", Now));
            Assert.Equal(ErrorIds.InvalidThumbprint, error.ErrorId);
        }

        [Fact]
        public void A_missing_file_an_empty_file_and_a_file_that_is_no_certificate_are_told_apart()
        {
            Assert.Equal(ErrorIds.CertificateFileNotFound, Assert.Throws<DropzoneException>(() => CertificateReader.ReadFile("/nonexistent/vendor.crt", null, Now)).ErrorId);
            Assert.Equal(ErrorIds.CertificateInvalid, Assert.Throws<DropzoneException>(() => CertificateReader.ReadFile(_files.WriteText(""), null, Now)).ErrorId);
            Assert.Equal(ErrorIds.CertificateInvalid, Assert.Throws<DropzoneException>(() => CertificateReader.ReadFile(_files.WriteText("hello, this is a text file"), null, Now)).ErrorId);
            Assert.Equal(ErrorIds.CertificateInvalid, Assert.Throws<DropzoneException>(() => CertificateReader.ReadFile(_files.WriteText("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"), null, Now)).ErrorId);
            Assert.Equal(ErrorIds.CertificateInvalid, Assert.Throws<DropzoneException>(() => CertificateReader.ReadFile(_files.WriteBytes(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 }), null, Now)).ErrorId);
        }

        [Fact]
        public void A_chain_file_gives_its_first_certificate_with_a_warning()
        {
            var leaf = TestCertificates.Valid();
            var issuer = TestCertificates.Valid();
            var warnings = new List<string>();
            var read = CertificateReader.ReadFile(_files.WriteText(TestCertificates.Pem(leaf) + TestCertificates.Pem(issuer)), null, Now, warnings.Add);
            Assert.Equal(leaf.Thumbprint, read.Thumbprint);
            Assert.Single(warnings);
        }

        [Fact]
        public void A_file_over_1_MiB_is_CertificateInvalid_without_being_read_whole()
        {
            // 3 GiB, sparse: reading it whole would fail differently (a file over 2 GiB cannot be
            // read into one array) or exhaust memory; the size check refuses it first.
            var huge = _files.WriteBytes(new byte[0], ".crt");
            using (var stream = new FileStream(huge, FileMode.Open, FileAccess.Write)) stream.SetLength(3L * 1024 * 1024 * 1024);
            var justOver = _files.WriteText(TestCertificates.Pem(TestCertificates.Valid()) + new string(' ', CertificateReader.MaxFileBytes));

            var hugeError = Assert.Throws<DropzoneException>(() => CertificateReader.ReadFile(huge, null, Now));
            var justOverError = Assert.Throws<DropzoneException>(() => CertificateReader.ReadFile(justOver, null, Now));

            Assert.Equal(ErrorIds.CertificateInvalid, hugeError.ErrorId);
            Assert.Contains("3072 MiB", hugeError.Message);
            Assert.Equal(ErrorIds.CertificateInvalid, justOverError.ErrorId);
            Assert.Contains("1 MiB", justOverError.Message);
        }

        [Fact]
        public void A_certificate_file_of_exactly_1_MiB_is_still_read()
        {
            var pem = TestCertificates.Pem(TestCertificates.Valid());
            var path = _files.WriteText(pem + new string(' ', CertificateReader.MaxFileBytes - System.Text.Encoding.UTF8.GetByteCount(pem)));
            Assert.Equal(CertificateReader.MaxFileBytes, new FileInfo(path).Length);
            Assert.Matches("^[0-9A-F]{40}$", CertificateReader.ReadFile(path, null, Now).Thumbprint);
        }

        private static IEnumerable<string> SplitPairs(string hex)
        {
            for (var i = 0; i < hex.Length; i += 2) yield return hex.Substring(i, 2);
        }
    }
}
