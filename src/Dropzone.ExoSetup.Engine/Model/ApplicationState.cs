using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Certificates;
using Dropzone.ExoSetup.Engine.Graph;
using Microsoft.Graph.Models;

namespace Dropzone.ExoSetup.Engine.Model
{
    /// <summary>Which parts of the tenant a step reads (all in one round trip).</summary>
    [Flags]
    public enum ApplicationParts
    {
        /// <summary>The app registration with its certificates (keys included) and permissions.</summary>
        Application = 1,

        /// <summary>The app's service principal (Enterprise application).</summary>
        ServicePrincipal = 2,

        /// <summary>Exchange Online's service principal and the app's app role assignments.</summary>
        Consent = 4 | ServicePrincipal,

        /// <summary>The organization (its initial domain).</summary>
        Organization = 8,
    }

    /// <summary>
    /// What the tenant holds for one app registration, read in one round trip. Steps compare it with
    /// what they want and write only the difference. The SDK objects stay inside the engine: they are
    /// what a write sends back, unchanged, for every item the module does not own.
    /// </summary>
    public sealed class ApplicationState
    {
        internal ApplicationState(Application application, ServicePrincipal servicePrincipal, ServicePrincipal exchangeResource,
            IReadOnlyList<AppRoleAssignment> assignments, OrganizationInfo organization,
            bool servicePrincipalFromSession = false, bool consentFromSession = false)
        {
            ServicePrincipalNotYetReadable = servicePrincipalFromSession;
            ConsentNotYetReadable = consentFromSession;
            ObjectId = application.Id;
            AppId = Guid.Parse(application.AppId);
            DisplayName = application.DisplayName;
            KeyCredentials = application.KeyCredentials ?? new List<KeyCredential>();
            RequiredResourceAccess = application.RequiredResourceAccess ?? new List<RequiredResourceAccess>();
            ServicePrincipal = servicePrincipal == null ? null : ServicePrincipalInfo.From(servicePrincipal);
            ExchangeResource = exchangeResource == null ? null : ServicePrincipalInfo.From(exchangeResource);
            ExchangeResourceRoles = exchangeResource?.AppRoles?.Where(r => r.Id.HasValue).Select(r => r.Id.Value).ToList() ?? new List<Guid>();
            Assignments = assignments ?? new List<AppRoleAssignment>();
            Organization = organization;
            Certificates = KeyCredentials.Select(CertificateDetails.From).ToList();
            ClientSecrets = (application.PasswordCredentials ?? new List<PasswordCredential>()).Select(ClientSecretDetails.From).ToList();
        }

        /// <summary>The app registration's object id (not the Application (client) ID).</summary>
        public string ObjectId { get; }

        /// <summary>The Application (client) ID.</summary>
        public Guid AppId { get; }

        public string DisplayName { get; }
        public IReadOnlyList<CertificateDetails> Certificates { get; }

        /// <summary>The app's client secrets as Graph shows them after creation: never their value.</summary>
        public IReadOnlyList<ClientSecretDetails> ClientSecrets { get; }

        /// <summary>The application permissions (type Role) the app requests, by API (resourceAppId).</summary>
        public IReadOnlyList<(Guid ResourceAppId, IReadOnlyList<Guid> RoleIds)> RequestedAppRoles =>
            RequiredResourceAccess
                .Where(r => Guid.TryParse(r.ResourceAppId, out _))
                .Select(r => (Guid.Parse(r.ResourceAppId), (IReadOnlyList<Guid>)(r.ResourceAccess ?? new List<ResourceAccess>())
                    .Where(a => a.Type == "Role" && a.Id.HasValue).Select(a => a.Id.Value).Distinct().ToList()))
                .Where(r => r.Item2.Count > 0)
                .ToList();

        /// <summary>An app role assignment of the app's service principal to this role of this resource (an admin consent).</summary>
        public bool HasAssignment(string resourceObjectId, Guid appRoleId) => Assignments.Any(a =>
            a.AppRoleId == appRoleId && string.Equals(a.ResourceId?.ToString(), resourceObjectId, StringComparison.OrdinalIgnoreCase));

        /// <summary>The app's Enterprise application; null when it has none (or it was not read).</summary>
        public ServicePrincipalInfo ServicePrincipal { get; }

        /// <summary>Office 365 Exchange Online's service principal in this tenant; null when missing or not read.</summary>
        public ServicePrincipalInfo ExchangeResource { get; }

        public OrganizationInfo Organization { get; }

        /// <summary>
        /// The service principal was created by this session and reads do not show it yet
        /// (replication): <see cref="ServicePrincipal"/> is what its creation returned.
        /// </summary>
        public bool ServicePrincipalNotYetReadable { get; }

        /// <summary>The consent was granted by this session and reads do not show it yet (replication).</summary>
        public bool ConsentNotYetReadable { get; }

        /// <summary>Something this session wrote is not visible to reads yet.</summary>
        public bool AwaitingReplication => ServicePrincipalNotYetReadable || ConsentNotYetReadable;

        /// <summary>Exchange.ManageAsApp (type Role) is in requiredResourceAccess.</summary>
        public bool PermissionRequested => RequiredResourceAccess.Any(r =>
            string.Equals(r.ResourceAppId, WellKnown.ExchangeOnlineAppId.ToString(), StringComparison.OrdinalIgnoreCase)
            && (r.ResourceAccess ?? new List<ResourceAccess>()).Any(a => a.Id == WellKnown.ManageAsAppRoleId && a.Type == "Role"));

        /// <summary>Admin consent: an app role assignment of Exchange.ManageAsApp to the app's service principal.</summary>
        public bool PermissionConsented => ConsentAssignment != null;

        /// <summary>App role assignments of the app's service principal other than the module's consent.</summary>
        public int OtherAssignmentCount => Assignments.Count(a => !ReferenceEquals(a, ConsentAssignment));

        internal AppRoleAssignment ConsentAssignment => ExchangeResource == null ? null : Assignments.FirstOrDefault(a =>
            a.AppRoleId == WellKnown.ManageAsAppRoleId
            && string.Equals(a.ResourceId?.ToString(), ExchangeResource.ObjectId, StringComparison.OrdinalIgnoreCase));

        internal IReadOnlyList<KeyCredential> KeyCredentials { get; }
        internal IReadOnlyList<RequiredResourceAccess> RequiredResourceAccess { get; }
        internal IReadOnlyList<Guid> ExchangeResourceRoles { get; }
        internal IReadOnlyList<AppRoleAssignment> Assignments { get; }
    }

    /// <summary>A certificate on the app registration as the portal lists it.</summary>
    public sealed class CertificateDetails
    {
        public Guid KeyId { get; private set; }
        public string Thumbprint { get; private set; }
        public string DisplayName { get; private set; }
        public DateTimeOffset? NotBefore { get; private set; }
        public DateTimeOffset? NotAfter { get; private set; }
        public string Type { get; private set; }
        public string Usage { get; private set; }

        /// <summary>False when Graph did not return the key (the certificate itself); it cannot be re-sent then.</summary>
        public bool KeyReadable { get; private set; }

        internal static CertificateDetails From(KeyCredential credential) => new CertificateDetails
        {
            KeyId = credential.KeyId ?? Guid.Empty,
            Thumbprint = credential.Key != null && credential.Key.Length > 0
                ? CertificateReader.ThumbprintOf(credential.Key)
                : ThumbprintFromIdentifier(credential.CustomKeyIdentifier),
            DisplayName = credential.DisplayName,
            NotBefore = credential.StartDateTime,
            NotAfter = credential.EndDateTime,
            Type = credential.Type,
            Usage = credential.Usage,
            KeyReadable = credential.Key != null && credential.Key.Length > 0,
        };

        // customKeyIdentifier defaults to the thumbprint (20 bytes); anything else says nothing.
        private static string ThumbprintFromIdentifier(byte[] identifier) =>
            identifier != null && identifier.Length == 20 ? string.Concat(identifier.Select(b => b.ToString("X2"))) : null;
    }

    /// <summary>
    /// A client secret on the app registration: what Graph returns after creation (resources/
    /// passwordcredential.md): its hint (first three characters) and dates, never the value.
    /// </summary>
    public sealed class ClientSecretDetails
    {
        public Guid KeyId { get; private set; }
        public string DisplayName { get; private set; }
        public string Hint { get; private set; }
        public DateTimeOffset? StartDateTime { get; private set; }

        /// <summary>When it stops working; null for one without an end.</summary>
        public DateTimeOffset? EndDateTime { get; private set; }

        public bool IsExpired(DateTimeOffset now) => EndDateTime.HasValue && EndDateTime.Value <= now;

        internal static ClientSecretDetails From(PasswordCredential credential) => new ClientSecretDetails
        {
            KeyId = credential.KeyId ?? Guid.Empty,
            DisplayName = credential.DisplayName,
            Hint = credential.Hint,
            StartDateTime = credential.StartDateTime,
            EndDateTime = credential.EndDateTime,
        };

        /// <summary>The secret that works longest (no end counts as longest): the app's newest.</summary>
        public static ClientSecretDetails Newest(IEnumerable<ClientSecretDetails> secrets) =>
            secrets.OrderByDescending(s => s.EndDateTime ?? DateTimeOffset.MaxValue).ThenByDescending(s => s.StartDateTime).FirstOrDefault();

        /// <summary>"'Dropzone AI 2026-12-07' (hint x7Q, keyId ..., expires 2027-06-30)".</summary>
        public string Describe() =>
            $"'{DisplayName}' (hint {Hint}, keyId {KeyId}, {(EndDateTime.HasValue ? "expires " + EndDateTime.Value.UtcDateTime.ToString("yyyy-MM-dd") : "no expiry")})";
    }

    /// <summary>A service principal (Enterprise application): what Exchange's New-ServicePrincipal takes.</summary>
    public sealed class ServicePrincipalInfo
    {
        public ServicePrincipalInfo(string objectId, Guid appId, string displayName, IReadOnlyList<string> tags = null)
        {
            ObjectId = objectId;
            AppId = appId;
            DisplayName = displayName;
            Tags = tags ?? new List<string>();
        }

        /// <summary>The service principal's object id: the vendor's "object-spid".</summary>
        public string ObjectId { get; }

        public Guid AppId { get; }
        public string DisplayName { get; }
        public IReadOnlyList<string> Tags { get; }

        /// <summary>The module created it (and so may delete it on uninstall).</summary>
        public bool CreatedByModule => Tags.Contains(WellKnown.CreatedByTag);

        internal static ServicePrincipalInfo From(ServicePrincipal sp) =>
            new ServicePrincipalInfo(sp.Id, Guid.TryParse(sp.AppId, out var appId) ? appId : Guid.Empty, sp.DisplayName, sp.Tags?.ToList());
    }

    /// <summary>An app registration found by name: enough to tell several apart.</summary>
    public sealed class ApplicationIdentity
    {
        public ApplicationIdentity(string objectId, Guid appId, string displayName)
        {
            ObjectId = objectId;
            AppId = appId;
            DisplayName = displayName;
        }

        public string ObjectId { get; }
        public Guid AppId { get; }
        public string DisplayName { get; }
    }

    /// <summary>An API the app asks permissions of, as its service principal in the tenant shows it.</summary>
    public sealed class ResourceApi
    {
        public ResourceApi(Guid appId, string objectId, string displayName, IReadOnlyDictionary<Guid, string> roles)
        {
            AppId = appId;
            ObjectId = objectId;
            DisplayName = displayName;
            Roles = roles;
        }

        public Guid AppId { get; }
        public string ObjectId { get; }
        public string DisplayName { get; }

        /// <summary>Its app roles (application permissions): id to value, e.g. Exchange.ManageAsApp.</summary>
        public IReadOnlyDictionary<Guid, string> Roles { get; }

        public string RoleName(Guid id) => Roles.TryGetValue(id, out var name) && !string.IsNullOrEmpty(name) ? name : id.ToString();
    }
}
