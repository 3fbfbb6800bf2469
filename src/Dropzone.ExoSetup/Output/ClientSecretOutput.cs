using System;
using System.Security;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Steps;

namespace Dropzone.ExoSetup
{
    /// <summary>
    /// A client secret on the app registration. <see cref="Secret"/> is set only on what
    /// New-DropzoneClientSecret returns (Graph shows a secret's value once, when it is made), and
    /// <see cref="SecretText"/> only with its -AsPlainText.
    /// </summary>
    public sealed class DropzoneClientSecret
    {
        public Guid ApplicationId { get; internal set; }
        public Guid KeyId { get; internal set; }
        public string DisplayName { get; internal set; }

        /// <summary>The first three characters of the secret, as the portal shows them.</summary>
        public string Hint { get; internal set; }

        public DateTimeOffset? StartDateTime { get; internal set; }
        public DateTimeOffset? EndDateTime { get; internal set; }

        /// <summary>Whole days until EndDateTime (negative once expired).</summary>
        public int? DaysLeft { get; internal set; }

        /// <summary>The value (New-DropzoneClientSecret only): paste it into the Dropzone AI UI as "Client secret".</summary>
        public SecureString Secret { get; internal set; }

        /// <summary>The value as text: only with New-DropzoneClientSecret -AsPlainText, for the one time it must be pasted.</summary>
        public string SecretText { get; internal set; }

        /// <summary>Never the value, whichever way the object is turned into text.</summary>
        public override string ToString() => $"{DisplayName} ({Hint}…)";

        internal static DropzoneClientSecret From(Guid appId, ClientSecretDetails details, DateTimeOffset now) => new DropzoneClientSecret
        {
            ApplicationId = appId,
            KeyId = details.KeyId,
            DisplayName = details.DisplayName,
            Hint = details.Hint,
            StartDateTime = details.StartDateTime,
            EndDateTime = details.EndDateTime,
            DaysLeft = details.EndDateTime.HasValue ? (int?)Math.Floor((details.EndDateTime.Value - now).TotalDays) : null,
        };
    }

    /// <summary>
    /// What the Dropzone AI UI's Microsoft 365 / Defender integration form asks for, under its labels:
    /// Application (client) ID, Directory (tenant) ID, Client secret (its hint and expiry: the value is
    /// shown only when it is made) and Organization ID.
    /// </summary>
    public sealed class DropzoneFormValues
    {
        private readonly DropzoneForm _form;

        internal DropzoneFormValues(DropzoneForm form)
        {
            _form = form;
        }

        /// <summary>"Application (client) ID" in the form.</summary>
        public Guid ApplicationClientId => _form.ApplicationClientId;

        /// <summary>"Directory (tenant) ID" in the form.</summary>
        public string DirectoryTenantId => _form.DirectoryTenantId;

        /// <summary>"Organization ID" in the form: the tenant's initial *.onmicrosoft.com domain.</summary>
        public string OrganizationId => _form.OrganizationId;

        /// <summary>The first characters of the newest client secret on the app; null when it has none.</summary>
        public string ClientSecretHint => _form.ClientSecretHint;

        public DateTimeOffset? ClientSecretExpires => _form.ClientSecretExpires;

        /// <summary>One "label: value" line per field, in the form's order.</summary>
        public override string ToString() => _form.ToString();

        internal static DropzoneFormValues From(DropzoneForm form) => form == null ? null : new DropzoneFormValues(form);
    }
}
