using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Graph;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>
    /// Step 3, the Organization ID (the tenant's initial *.onmicrosoft.com domain) for the vendor's
    /// UI: the one routine behind Get-DropzoneOrganizationId, Install- and Test-DropzoneExoIntegration.
    /// </summary>
    public static class OrganizationIdStep
    {
        /// <summary>The Organization ID, or OrganizationIdNotFound.</summary>
        public static string Require(OrganizationInfo organization, string tenantId = null)
        {
            if (!string.IsNullOrEmpty(organization?.InitialDomain)) return organization.InitialDomain;
            throw DropzoneErrors.OrganizationIdNotFound(organization?.TenantId ?? tenantId);
        }

        /// <summary>Install: AlreadyDone with what to do with it, or Failed and OrganizationIdNotFound.</summary>
        public static string Record(StepLog steps, OrganizationInfo organization, string tenantId)
        {
            try
            {
                var id = Require(organization, tenantId);
                steps.Record(SetupStep.OrganizationId, StepStatus.AlreadyDone, $"{id}: enter it as \"Organization ID\" in the Dropzone AI UI.");
                return id;
            }
            catch (DropzoneException e)
            {
                steps.Record(SetupStep.OrganizationId, StepStatus.Failed, e.Message);
                throw;
            }
        }

        public static CheckResult Check(OrganizationInfo organization)
        {
            try
            {
                return CheckResult.Pass(SetupCheck.OrganizationId, $"{Require(organization)} (the Organization ID for the Dropzone AI UI).");
            }
            catch (DropzoneException e)
            {
                return CheckResult.Fail(SetupCheck.OrganizationId, e.Message, e.RecommendedAction);
            }
        }
    }
}
