/** `query-comment` in the project file, read as dbt reads it. */
import { describe, it, expect } from 'vitest';
import { readQueryComment } from './query-comment-config.js';

const read = (raw: unknown) => readQueryComment(raw, 'dbt_project.yml', (path) => (path.length === 1 ? 4 : 5));

describe('readQueryComment', () => {
  it("reads absent as dbt's default, null and '' as none, a string as the comment, a mapping's settings", () => {
    expect(read(undefined)).toEqual({ config: { append: false, jobLabel: false, line: 4 }, diagnostics: [] });
    expect(read(null).config.comment).toBe('');
    expect(read('').config.comment).toBe('');
    expect(read('{{ query_comment(node) }}').config).toMatchObject({ comment: '{{ query_comment(node) }}', append: false });
    expect(read({ 'job-label': true }).config).toEqual({ append: false, jobLabel: true, line: 4 });
    expect(read({ comment: 'nightly', append: true, job_label: true }).config).toMatchObject({ comment: 'nightly', append: true, jobLabel: true });
  });

  it('reports a value of the wrong shape at its line, with an example', () => {
    expect(read(['a']).diagnostics).toEqual([expect.objectContaining({ code: 'project-invalid', file: 'dbt_project.yml', line: 4, message: expect.stringContaining('must be a string') })]);
    expect(read({ append: 'yes', commment: 'x', comment: 3 }).diagnostics.map((d) => [d.line, d.message])).toEqual([
      [5, "query-comment has no setting 'commment'"],
      [5, 'query-comment.comment must be a string, not 3'],
      [5, 'query-comment.append must be true or false, not "yes"'],
    ]);
  });
});
