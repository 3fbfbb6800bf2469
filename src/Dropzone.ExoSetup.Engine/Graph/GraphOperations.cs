namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>The Graph operations of the procedure, each with the least permissions and roles it needs.</summary>
    public static class GraphOperations
    {
        /// <summary>For failures that happen outside any known Graph call.</summary>
        public static readonly GraphOperation Unknown = new GraphOperation(
            "complete the operation", "the permissions of the step being run", "an administrator role for that step");

        public static readonly GraphOperation ReadOrganization = new GraphOperation(
            "read the tenant's organization and domains",
            "Organization.Read.All or Directory.Read.All (application), or User.Read (delegated)",
            "any member account of the tenant");

        public static readonly GraphOperation ReadApplication = new GraphOperation(
            "read the app registration",
            "Application.Read.All",
            "Application Administrator, Cloud Application Administrator, or a reader role (Global Reader)");

        public static readonly GraphOperation UpdateApplication = new GraphOperation(
            "update the app registration (certificates, API permissions)",
            "Application.ReadWrite.All (or ownership of the app with Application.ReadWrite.OwnedBy)",
            "Application Administrator or Cloud Application Administrator");

        public static readonly GraphOperation ReadServicePrincipal = new GraphOperation(
            "read the service principals (Enterprise applications)",
            "Application.Read.All",
            "Application Administrator, Cloud Application Administrator, or a reader role (Global Reader)");

        public static readonly GraphOperation CreateServicePrincipal = new GraphOperation(
            "create the app's service principal (Enterprise application)",
            "Application.ReadWrite.All",
            "Application Administrator or Cloud Application Administrator");

        public static readonly GraphOperation DeleteServicePrincipal = new GraphOperation(
            "delete the service principal (Enterprise application) the module created",
            "Application.ReadWrite.All",
            "Application Administrator or Cloud Application Administrator");

        public static readonly GraphOperation GrantConsent = new GraphOperation(
            "grant admin consent to Exchange.ManageAsApp (an app role assignment)",
            "AppRoleAssignment.ReadWrite.All together with Application.Read.All",
            "Privileged Role Administrator, Cloud Application Administrator or Application Administrator");

        public static readonly GraphOperation RevokeConsent = new GraphOperation(
            "remove the admin consent to Exchange.ManageAsApp (an app role assignment)",
            "AppRoleAssignment.ReadWrite.All together with Application.Read.All",
            "Privileged Role Administrator, Cloud Application Administrator or Application Administrator");
    
        public static readonly GraphOperation AddClientSecret = new GraphOperation(
            "add a client secret to the app registration (addPassword)",
            "Application.ReadWrite.All (or ownership of the app with Application.ReadWrite.OwnedBy)",
            "Application Administrator or Cloud Application Administrator");

        public static readonly GraphOperation RemoveClientSecret = new GraphOperation(
            "remove a client secret from the app registration (removePassword)",
            "Application.ReadWrite.All (or ownership of the app with Application.ReadWrite.OwnedBy)",
            "Application Administrator or Cloud Application Administrator");

        public static readonly GraphOperation ReadAppManagementPolicy = new GraphOperation(
            "read the tenant's app management policy (credential lifetimes)",
            "Policy.Read.ApplicationConfiguration or Policy.Read.All",
            "Application Administrator, Cloud Application Administrator, or a reader role (Global Reader)");
    }
}
