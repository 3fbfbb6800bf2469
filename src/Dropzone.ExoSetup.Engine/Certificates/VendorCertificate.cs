using System;

namespace Dropzone.ExoSetup.Engine.Certificates
{
    /// <summary>
    /// The vendor's public certificate as read and checked by <see cref="CertificateReader"/>: only
    /// the DER bytes and what the portal shows of them. It never holds a private key.
    /// </summary>
    public sealed class VendorCertificate
    {
        internal VendorCertificate(byte[] rawData, string thumbprint, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
        {
            RawData = rawData;
            Thumbprint = thumbprint;
            Subject = subject;
            NotBefore = notBefore;
            NotAfter = notAfter;
        }

        /// <summary>The DER encoding: what goes into keyCredentials[].key.</summary>
        public byte[] RawData { get; }

        /// <summary>SHA-1 of the DER bytes, upper-case hex: what the Entra portal shows.</summary>
        public string Thumbprint { get; }

        public string Subject { get; }
        public DateTimeOffset NotBefore { get; }
        public DateTimeOffset NotAfter { get; }


        public bool IsNotYetValid(DateTimeOffset now) => NotBefore > now;
    }
}
