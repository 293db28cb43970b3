"""Image features: generate, edit, vary, extend, inpaint, upscale, backgrounds, faces, 3D.

Each method is declared once, by its signature and docstring (``@feature``, see
``_feature.py``); the feature registry maps its arguments onto ``promptObject`` for each
model family (``_registry/_images.py``), and ``_protocol/_features.py`` runs the call.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from ...constants import ImageDirection, ImageModel
from ._feature import Extra, ImageFile, feature

if TYPE_CHECKING:
    from ...types import ChatOutput, ImageOutput


class ImageMethods:
    """Image features (``IMAGE_*``, ``BACKGROUND_*``, ``FACE_SWAPPER``, …)."""

    @feature("IMAGE_GENERATOR", "Generate images from a text prompt.")
    def generate_image(
        self,
        prompt: str,
        model: str | ImageModel | None = None,
        *,
        negative_prompt: str | None = None,
        width: int = 1024,
        height: int = 1024,
        num_images: int = 1,
        quality: str | None = None,
        style: str | None = None,
        output_format: str | None = None,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Generate images from a prompt (``IMAGE_GENERATOR``).

        The arguments are mapped per model family: gpt-image and DALL·E get ``size``
        (``"WxH"``) and ``n``; Flux gets ``aspect_ratio`` and ``num_outputs``; Midjourney
        ``aspect_width``/``aspect_height`` and ``n``; Leonardo (UUID ids) ``n``, ``size`` and
        ``negativePrompt``; Stable Diffusion XL (the default, seen working live) ``samples``
        and ``size``, which must be one of 1024x1024, 1152x896, 1216x832, 1344x768,
        1536x640, 640x1536, 768x1344, 832x1216, 896x1152 (other sizes are refused before
        sending; ``cfg_scale``, ``steps``, ``seed`` via ``extra``); Stable Diffusion 1.6
        ``samples``, ``width``, ``height``; unknown families ``prompt``, ``n``, ``size``,
        ``negativePrompt``, ``quality``, ``style``, ``output_format``.

        Args:
            prompt: What to draw.
            model: Model id; default ``stable-diffusion-xl-1024-v1-0``
                (``black-forest-labs/flux-schnell`` is refused by the service since 2026).
            negative_prompt: What to avoid (families that take one).
            width: Width in pixels (with ``height``: the size or aspect ratio).
            height: Height in pixels.
            num_images: How many images (each family has its own maximum).
            quality: Model quality level, e.g. ``low``/``medium``/``high`` for gpt-image
                (default: not sent, the model's default).
            style: Style, e.g. ``vivid``/``natural`` for DALL·E 3 (default: not sent).
            output_format: ``png``/``jpeg``/``webp``… (default: not sent).
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: ``.images`` (``.url``, ``.key``, ``await .save(dir)``).

        Raises:
            InvalidRequestError: a value the model family does not accept, named with the
                allowed values (nothing is sent).
            UnsupportedModelError: the service does not support ``model``.
            JobFailedError: the record ended in a failed state.
        """

    @feature("IMAGE_EDITOR", "Edit an image following a prompt.")
    def edit_image(
        self,
        image_url: ImageFile,
        prompt: str,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Edit an image following a prompt (``IMAGE_EDITOR``).

        Args:
            image_url: The image (asset key, URL, local path or bytes).
            prompt: The edit to make.
            model: Default ``black-forest-labs/flux-kontext-pro``; gpt-image models also get
                the required ``size`` (1024x1024) and ``n`` (1).
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the edited image(s).
        """

    @feature("IMAGE_VARIATOR", "Make variations of an image.")
    def create_image_variation(
        self,
        image_url: ImageFile,
        model: str | ImageModel | None = None,
        *,
        num_images: int = 1,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Make variations of an image (``IMAGE_VARIATOR``).

        Args:
            image_url: The image (asset key, URL, local path or bytes).
            model: Default ``black-forest-labs/flux-redux-schnell``.
            num_images: How many variations (``n`` / ``num_outputs`` by family).
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the variations.
        """

    @feature("IMAGE_EXTENDER", "Extend (outpaint) an image on one side.")
    def extend_image(
        self,
        image_url: ImageFile,
        direction: str | ImageDirection = "right",
        model: str | ImageModel | None = None,
        *,
        amount: int = 512,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Extend (outpaint) an image on one side (``IMAGE_EXTENDER``).

        Sends ``left``/``right``/``up``/``down``: ``amount`` on the chosen side and 0 on the
        others (the unit is undocumented; pixels as in Stability's outpainting).

        Args:
            image_url: The image (asset key, URL, local path or bytes).
            direction: ``left``, ``right``, ``up`` or ``down``.
            model: Default ``stable-image``.
            amount: How far to extend (1–2000).
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the extended image.
        """

    @feature("IMAGE_INPAINTER", "Repaint the masked area of an image.")
    def inpaint_image(
        self,
        image_url: ImageFile,
        mask_url: ImageFile,
        prompt: str,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Repaint the masked area of an image (``IMAGE_INPAINTER``).

        Args:
            image_url: The image.
            mask_url: The mask (white = repaint).
            prompt: What to paint there.
            model: Default ``stable-image``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the result.
        """

    @feature("IMAGE_OBJECT_REMOVER", "Remove an object from an image.")
    def remove_object_from_image(
        self,
        image_url: ImageFile,
        model: str | ImageModel | None = None,
        *,
        mask_url: ImageFile | None = None,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Remove an object from an image (``IMAGE_OBJECT_REMOVER``).

        Args:
            image_url: The image.
            model: Default ``stable-image``.
            mask_url: A mask marking the object (``maskUrl``; the documented model uses it).
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the cleaned image.
        """

    @feature("IMAGE_UPSCALER", "Upscale an image.")
    def upscale_image(
        self,
        image_url: ImageFile,
        scale: int = 2,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Upscale an image (``IMAGE_UPSCALER``).

        Args:
            image_url: The image.
            scale: Factor; ``stable-image`` fixes it (only the default is accepted), other
                families get ``scale`` (undocumented).
            model: Default ``stable-image``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the upscaled image.
        """

    @feature("BACKGROUND_REMOVER", "Remove the background of an image.")
    def remove_background(
        self, image_url: ImageFile, model: str | ImageModel | None = None, *, extra: Extra = None
    ) -> Awaitable[ImageOutput]:
        """Remove the background of an image (``BACKGROUND_REMOVER``).

        Args:
            image_url: The image.
            model: Default ``stable-image``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the cut-out image.
        """

    @feature("BACKGROUND_REPLACER", "Replace the background of an image.")
    def replace_background(
        self,
        image_url: ImageFile,
        prompt: str,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Replace the background of an image (``BACKGROUND_REPLACER``).

        Args:
            image_url: The image.
            prompt: The new background.
            model: Default ``clipdrop``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the result.
        """

    @feature("TEXT_REMOVER", "Remove text from an image.")
    def remove_text_from_image(
        self,
        image_url: ImageFile,
        *,
        model: str | ImageModel | None = None,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Remove text from an image (``TEXT_REMOVER``).

        Args:
            image_url: The image.
            model: Default ``clipdrop``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the cleaned image.
        """

    @feature("FACE_SWAPPER", "Put the face of one image onto another.")
    def swap_face(
        self,
        source_image_url: ImageFile,
        target_image_url: ImageFile,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Put the face of one image onto another (``FACE_SWAPPER``).

        Args:
            source_image_url: The face to use (``swapImageUrl``).
            target_image_url: The image that receives it (``targetImageUrl``).
            model: Default ``Qubico/image-toolkit``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the result.
        """

    @feature("SKETCH_TO_IMAGE", "Turn a sketch into an image.")
    def sketch_to_image(
        self,
        sketch_url: ImageFile,
        prompt: str,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Turn a sketch into an image (``SKETCH_TO_IMAGE``).

        The fields of this type are not in the stored docs: ``imageUrl`` + ``prompt`` are
        sent by analogy with the other image tools.

        Args:
            sketch_url: The sketch.
            prompt: What it depicts.
            model: Default ``stable-image``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the rendered image.
        """

    @feature("IMAGE_3D_GENERATOR", "Make a 3D model from an image.")
    def image_to_3d(
        self, image_url: ImageFile, model: str | ImageModel | None = None, *, extra: Extra = None
    ) -> Awaitable[ImageOutput]:
        """Make a 3D model from an image (``IMAGE_3D_GENERATOR``).

        Args:
            image_url: The image.
            model: Default ``stable-image``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: ``.image`` is the 3D file (``save()`` keeps its extension).
        """

    @feature("SEARCH_AND_REPLACE", "Replace an object in an image.")
    def search_and_replace_in_image(
        self,
        image_url: ImageFile,
        search_prompt: str,
        replace_prompt: str,
        model: str | ImageModel | None = None,
        *,
        extra: Extra = None,
    ) -> Awaitable[ImageOutput]:
        """Replace an object in an image (``SEARCH_AND_REPLACE``).

        Args:
            image_url: The image.
            search_prompt: What to find (``search_prompt``).
            replace_prompt: What to put instead (``prompt``).
            model: Default ``stable-image``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ImageOutput: the result.
        """

    @feature("IMAGE_TO_PROMPT", "Describe an image as a prompt.")
    def image_to_prompt(
        self, image_url: ImageFile, model: str | ImageModel | None = None, *, extra: Extra = None
    ) -> Awaitable[ChatOutput]:
        """Describe an image as a prompt (``IMAGE_TO_PROMPT``).

        Args:
            image_url: The image.
            model: Default ``methexis-inc/img2prompt:…``; ``midjourney`` uses ``mode: describe``.
            extra: Extra ``promptObject`` fields.

        Returns:
            ChatOutput: ``.text`` is the prompt.
        """
