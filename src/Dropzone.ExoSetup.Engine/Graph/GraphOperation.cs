namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>
    /// What a Graph call is for and what it needs, so that "access denied" can tell the admin which
    /// permission or role is missing instead of only that something was refused.
    /// </summary>
    public sealed class GraphOperation
    {
        public GraphOperation(string description, string permissions, string adminRoles)
        {
            Description = description;
            Permissions = permissions;
            AdminRoles = adminRoles;
        }

        public string Description { get; }
        public string Permissions { get; }
        public string AdminRoles { get; }

        /// <summary>For failures that happen outside any known Graph call.</summary>
        public static readonly GraphOperation Unknown = new GraphOperation(
            "complete the operation", "the permissions of the step being run", "an administrator role for that step");

        public static readonly GraphOperation ReadOrganization = new GraphOperation(
            "read the tenant's organization and domains",
            "Organization.Read.All or Directory.Read.All (application), or User.Read (delegated)",
            "any member account of the tenant");
    }
}
