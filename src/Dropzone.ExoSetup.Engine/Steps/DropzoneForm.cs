using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Model;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>
    /// What the Dropzone AI UI's Microsoft 365 / Defender integration form asks for, each value under
    /// the label the form gives it: Application (client) ID, Directory (tenant) ID, Organization ID,
    /// and a client secret, of which Graph shows only the hint and expiry after creation
    /// (docs.dropzone.ai; resources/passwordcredential.md). Never a secret's value.
    /// </summary>
    public sealed class DropzoneForm
    {
        public const string ApplicationIdLabel = "Application (client) ID";
        public const string TenantIdLabel = "Directory (tenant) ID";
        public const string OrganizationIdLabel = "Organization ID";
        public const string ClientSecretLabel = "Client secret";

        public Guid ApplicationClientId { get; private set; }
        public string DirectoryTenantId { get; private set; }
        public string OrganizationId { get; private set; }

        /// <summary>The first three characters of the newest client secret; null when the app has none.</summary>
        public string ClientSecretHint { get; private set; }

        public DateTimeOffset? ClientSecretExpires { get; private set; }

        /// <summary>The form's values from what the tenant holds (the organization read beside the app).</summary>
        public static DropzoneForm From(ApplicationState state, string tenantId = null)
        {
            var newest = ClientSecretDetails.Newest(state.ClientSecrets);
            return new DropzoneForm
            {
                ApplicationClientId = state.AppId,
                DirectoryTenantId = state.Organization?.TenantId ?? tenantId,
                OrganizationId = state.Organization?.InitialDomain,
                ClientSecretHint = newest?.Hint,
                ClientSecretExpires = newest?.EndDateTime,
            };
        }

        /// <summary>The client secret line: the newest one's hint and expiry, or how to make one.</summary>
        public string ClientSecretText =>
            ClientSecretHint == null && ClientSecretExpires == null
                ? "none on the app (make one with New-DropzoneClientSecret -AsPlainText)"
                : $"the one starting '{ClientSecretHint}', {(ClientSecretExpires.HasValue ? "expires " + ClientSecretExpires.Value.UtcDateTime.ToString("yyyy-MM-dd") : "no expiry")} (its value is shown only when it is made)";

        /// <summary>One "label: value" line per field of the form, in the form's order.</summary>
        public IReadOnlyList<string> Lines() => new[]
        {
            $"{ApplicationIdLabel}: {ApplicationClientId}",
            $"{TenantIdLabel}: {DirectoryTenantId ?? "(unknown)"}",
            $"{ClientSecretLabel}: {ClientSecretText}",
            $"{OrganizationIdLabel}: {OrganizationId ?? "(unknown)"}",
        };

        public override string ToString() => string.Join(Environment.NewLine, Lines());

        /// <summary>Test-DropzoneExoIntegration's last result: the values to paste (Pass when every ID is known).</summary>
        public CheckResult ToCheck() =>
            new CheckResult(SetupCheck.DropzoneForm,
                DirectoryTenantId != null && OrganizationId != null ? CheckStatus.Pass : CheckStatus.Warn,
                "Enter in the Dropzone AI UI (Microsoft 365 / Defender integration): " + string.Join("; ", Lines()) + ".",
                DirectoryTenantId != null && OrganizationId != null ? null : "Get-DropzoneOrganizationId",
                this);
    }
}
