namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>The tenant as Graph's /organization describes it.</summary>
    public sealed class OrganizationInfo
    {
        public OrganizationInfo(string tenantId, string displayName, string initialDomain)
        {
            TenantId = tenantId;
            DisplayName = displayName;
            InitialDomain = initialDomain;
        }

        public string TenantId { get; }
        public string DisplayName { get; }

        /// <summary>The verified domain with isInitial: the *.onmicrosoft.com the vendor calls "Organization ID".</summary>
        public string InitialDomain { get; }
    }
}
