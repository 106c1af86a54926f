// PLACEHOLDER, not part of issue 4: the generated DTOs reference this hand-written type, so the solution does not
// compile without it. The real type is written for issue 3 (branch feat/paging, same path). On merge, take theirs.
namespace Aha.Client
{
    /// <summary>Placeholder for the hand-written type of issue 3 (paging and custom fields).</summary>
    public sealed class CustomFields
    {
    }
}
