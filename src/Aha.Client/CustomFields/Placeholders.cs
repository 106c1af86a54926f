namespace Aha.Client
{
    /// <summary>Placeholder until the custom-fields layer lands.</summary>
    public class CustomFields { }
    /// <summary>Placeholder until the custom-fields layer lands.</summary>
    public class CustomFieldUpdate { }
    /// <summary>Placeholder until the paging layer lands.</summary>
    public class Pagination { }
}
