import { ApiError } from '../../api/errors.ts';
import type { Principal } from '../../api/roles.ts';

/** The contractor's unit, or a 403 (a contractor token always carries one; anything else is refused). */
export function unitOf(principal: Principal): string {
  if (principal.role !== 'contractor' || !principal.uscc) throw new ApiError(403, 'FORBIDDEN', '只有施工单位（劳资专管员）令牌可以使用报送门户');
  return principal.uscc;
}
