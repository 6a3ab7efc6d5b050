// "Save for offline" on course and lesson pages of a course the learner is enrolled in. Hidden
// until /offline.js runs: without JavaScript there is nothing to press, and the page is unchanged.
import { useMessages } from '~/utils/i18n'

export function OfflineTools({ courseSlug, lessonSlug, lessonSlugs }: { courseSlug: string; lessonSlug?: string; lessonSlugs: string[] }) {
  const { m } = useMessages()
  const t = m.offline.phone
  const urls = [`/courses/${courseSlug}`, ...lessonSlugs.map((l) => `/courses/${courseSlug}/${l}`)]
  return (
    <>
      <div
        id="offline-tools"
        className="offline-tools"
        hidden
        data-course={courseSlug}
        data-lesson={lessonSlug}
        data-urls={JSON.stringify(urls)}
        data-saving={t.saving}
        data-saved-text={t.saved}
        data-failed={t.failed}
        data-unsupported={t.unsupported}
        data-offline-now={t.offlineNow}
        data-queued={t.queued}
        data-synced={t.synced}
      >
        <button type="button" id="offline-save">
          {t.save}
        </button>
        <p id="offline-status" role="status" aria-live="polite" />
      </div>
      <script src="/offline.js" defer />
    </>
  )
}
