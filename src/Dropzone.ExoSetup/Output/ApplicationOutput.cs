using System;
using System.Linq;
using Dropzone.ExoSetup.Engine.Model;

namespace Dropzone.ExoSetup
{
    /// <summary>The "Dropzone AI" app registration as Get-DropzoneApplication shows it.</summary>
    public sealed class DropzoneApplication
    {
        public string DisplayName { get; internal set; }

        /// <summary>The Application (client) ID. Binds to -ApplicationId of the other cmdlets.</summary>
        public Guid ApplicationId { get; internal set; }

        /// <summary>The app registration's object id (not the service principal's).</summary>
        public string ObjectId { get; internal set; }

        /// <summary>The Enterprise application's object id (the vendor's "object-spid"); empty when it has none.</summary>
        public string ServicePrincipalId { get; internal set; }

        public DropzoneCertificate[] Certificates { get; internal set; }

        /// <summary>The app's client secrets (hint and dates; Graph never shows their value again).</summary>
        public DropzoneClientSecret[] ClientSecrets { get; internal set; }

        public bool ExchangePermissionRequested { get; internal set; }
        public bool ExchangePermissionConsented { get; internal set; }

        internal static DropzoneApplication From(ApplicationState state, DateTimeOffset now) => new DropzoneApplication
        {
            DisplayName = state.DisplayName,
            ApplicationId = state.AppId,
            ObjectId = state.ObjectId,
            ServicePrincipalId = state.ServicePrincipal?.ObjectId,
            Certificates = state.Certificates.Select(c => DropzoneCertificate.From(state.AppId, c, now)).ToArray(),
            ClientSecrets = state.ClientSecrets.Select(c => DropzoneClientSecret.From(state.AppId, c, now)).ToArray(),
            ExchangePermissionRequested = state.PermissionRequested,
            ExchangePermissionConsented = state.PermissionConsented,
        };
    }

    /// <summary>A certificate on the app registration.</summary>
    public sealed class DropzoneCertificate
    {
        public Guid ApplicationId { get; internal set; }

        /// <summary>SHA-1 thumbprint, upper-case hex, as the portal shows it.</summary>
        public string Thumbprint { get; internal set; }

        public Guid KeyId { get; internal set; }
        public string DisplayName { get; internal set; }
        public DateTimeOffset? NotBefore { get; internal set; }
        public DateTimeOffset? NotAfter { get; internal set; }

        /// <summary>Whole days until NotAfter (negative once expired).</summary>
        public int? DaysLeft { get; internal set; }

        public string Type { get; internal set; }
        public string Usage { get; internal set; }

        internal static DropzoneCertificate From(Guid appId, CertificateDetails details, DateTimeOffset now) => new DropzoneCertificate
        {
            ApplicationId = appId,
            Thumbprint = details.Thumbprint,
            KeyId = details.KeyId,
            DisplayName = details.DisplayName,
            NotBefore = details.NotBefore,
            NotAfter = details.NotAfter,
            DaysLeft = details.NotAfter.HasValue ? (int?)Math.Floor((details.NotAfter.Value - now).TotalDays) : null,
            Type = details.Type,
            Usage = details.Usage,
        };
    }

    public enum CertificateInstallStatus
    {
        Added,
        AlreadyInstalled,
    }

    /// <summary>What Install-DropzoneCertificate did.</summary>
    public sealed class CertificateInstallResult
    {
        public Guid ApplicationId { get; internal set; }
        public string Thumbprint { get; internal set; }
        public Guid KeyId { get; internal set; }
        public string DisplayName { get; internal set; }
        public DateTimeOffset NotBefore { get; internal set; }
        public DateTimeOffset NotAfter { get; internal set; }
        public CertificateInstallStatus Status { get; internal set; }

        /// <summary>The expired certificates removed in the same write (-RemoveExpiredCertificate); empty otherwise.</summary>
        public DropzoneCertificate[] RemovedExpiredCertificates { get; internal set; } = new DropzoneCertificate[0];
    }

    public enum PermissionGrantStatus
    {
        Granted,
        AlreadyGranted,
        RequestedOnly,
    }

    /// <summary>What Grant-DropzoneExoPermission did.</summary>
    public sealed class PermissionGrantResult
    {
        public Guid ApplicationId { get; internal set; }
        public string Permission { get; internal set; }
        public bool Requested { get; internal set; }
        public bool Consented { get; internal set; }
        public string ServicePrincipalId { get; internal set; }
        public PermissionGrantStatus Status { get; internal set; }
    }

    /// <summary>
    /// The app's Enterprise application. AppId, ObjectId and DisplayName are the parameters of
    /// Exchange Online's New-ServicePrincipal, so this object pipes into it.
    /// </summary>
    public sealed class DropzoneServicePrincipal
    {
        public Guid AppId { get; internal set; }

        /// <summary>The service principal's object id: the vendor's "object-spid", never the app registration's id.</summary>
        public string ObjectId { get; internal set; }

        public string DisplayName { get; internal set; }

        internal static DropzoneServicePrincipal From(ServicePrincipalInfo info) => new DropzoneServicePrincipal
        {
            AppId = info.AppId,
            ObjectId = info.ObjectId,
            DisplayName = info.DisplayName,
        };
    }
}
