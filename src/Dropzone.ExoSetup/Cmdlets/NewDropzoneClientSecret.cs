using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using Dropzone.ExoSetup.Engine.Steps;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// New-DropzoneClientSecret: adds a client secret to the app registration (Graph addPassword) for
    /// the Dropzone AI UI's "Client secret" field, keeping every secret already there. Returns it once,
    /// as a SecureString; -AsPlainText adds it as text for the one time it must be pasted. The value
    /// reaches no other stream, log or error.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "DropzoneClientSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DropzoneClientSecret))]
    public sealed class NewDropzoneClientSecret : ApplicationCmdlet
    {
        /// <summary>How many days the secret is valid (730, two years, as the vendor's guide makes them).</summary>
        [Parameter]
        [ValidateRange(1, 36500)]
        public int ValidDays { get; set; } = ClientSecretStep.DefaultValidDays;

        /// <summary>Also return the secret as text (SecretText), to paste it into the Dropzone AI UI.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override void ProcessRecordCore()
        {
            var graph = RequireGraph();
            var now = Now;
            var made = ClientSecretStep.Add(StepHost, graph.Gateway, ApplicationId, ValidDays, now);
            if (made == null) return;
            var output = DropzoneClientSecret.From(ApplicationId, made.Details, now);
            output.Secret = made.Value;
            if (AsPlainText) output.SecretText = Text(made.Value);
            WriteObject(output);
        }

        private static string Text(System.Security.SecureString value)
        {
            var pointer = Marshal.SecureStringToGlobalAllocUnicode(value);
            try
            {
                return Marshal.PtrToStringUni(pointer);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
